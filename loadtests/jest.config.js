import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceJestConfig } from '../jest.shared.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = workspaceJestConfig('loadtests');

// The traffic profiles come from cdk8s's sources in tests, as the kit's do, never a stale build.
export default {
  ...shared,
  moduleNameMapper: {
    '^@tourkit/cdk8s/dist/(.*)\\.js$': path.join(root, 'cdk8s/src/$1.ts'),
    ...shared.moduleNameMapper,
  },
};
