// One jest set-up for every workspace: TypeScript as ES modules through ts-jest (transpile only;
// `tsc -b` type-checks before the tests run), and @tourkit/* resolved to their sources so a test
// never runs against a stale build.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(fileURLToPath(import.meta.url));
/** Every package under services/ (the kit and each service): `@tourkit/<name>/<entry>` → its source. */
const servicePackages = readdirSync(path.join(root, 'services'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/**
 * The set-up file of the projects whose tests call the services (e2e, web, loadtests, the real
 * node): an undocumented response fails the test that saw it, even if the error was caught.
 */
export const CONTRACT_GUARD = {
  setupFilesAfterEnv: [path.join(root, 'e2e/test/support/contract-guard.ts')],
};

/** @param {string} displayName @param {Partial<import('jest').Config>} [extra] */
export function workspaceJestConfig(displayName, extra = {}) {
  return {
    displayName,
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: path.join(root, 'tsconfig.jest.json') }],
    },
    moduleNameMapper: {
      '^@tourkit/kit$': path.join(root, 'services/kit/src/index.ts'),
      [`^@tourkit/(${servicePackages.join('|')})/(.*)$`]: path.join(root, 'services/$1/src/$2.ts'),
      '^@tourkit/testenv$': path.join(root, 'hack/testenv/src/index.ts'),
      '^@tourkit/api-client$': path.join(root, 'api-client/src/index.ts'),
      '^@tourkit/e2e/support/(.*)$': path.join(root, 'e2e/test/support/$1.ts'),
      '^@tourkit/loadtests/testing/k6$': path.join(root, 'loadtests/test/k6.ts'),
      '^@tourkit/mail-catcher$': path.join(root, 'hack/mail-catcher/src/index.ts'),
      '^@tourkit/observability$': path.join(root, 'hack/observability/src/index.ts'),
      '^@tourkit/operator/(.*)$': path.join(root, 'operator/src/$1.ts'),
      '^@tourkit/cdk8s/(.*)$': path.join(root, 'cdk8s/src/$1.ts'),
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    ...extra,
  };
}
