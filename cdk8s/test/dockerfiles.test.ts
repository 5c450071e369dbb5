/**
 * One Dockerfile builds every service (services/Dockerfile, --build-arg SERVICE=<svc>): no service
 * keeps a copy of its own, each has what the image copies, and the runtime stage carries what runs
 * only (no src/, bench/ or scripts/).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES } from '../src/service-list.js';

const servicesDir = path.resolve(import.meta.dirname, '..', '..', 'services');
const dockerfile = readFileSync(path.join(servicesDir, 'Dockerfile'), 'utf8');
// The one list of services (services/services.json; service-list.test.ts checks it against the folders).
const services = [...SERVICE_NAMES];

describe('the service Dockerfile', () => {
  it.each(services)(
    '%s has no Dockerfile of its own, and the files the image copies',
    (service) => {
      const dir = path.join(servicesDir, service);
      expect(existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
      expect(existsSync(path.join(dir, 'src', 'main.ts'))).toBe(true);
      const tsconfig = JSON.parse(readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')) as {
        compilerOptions: { outDir: string };
      };
      expect(tsconfig.compilerOptions.outDir).toBe('dist');
    },
  );

  it('names the service by a required build argument and copies only what runs', () => {
    expect(dockerfile).toMatch(/^ARG SERVICE$/m);
    expect(dockerfile).toMatch(/build argument SERVICE must name a folder of services\//);
    expect(dockerfile).toMatch(/cp -r package\.json dist \/out\//);
    expect(dockerfile).toMatch(/^COPY --from=build \/out services\/\$\{SERVICE\}$/m);
    expect(dockerfile).not.toMatch(/COPY --from=build \/repo\/services\/\$\{SERVICE\} /);
  });

  it('runs as numeric non-root user 10001 under tini, production deps only', () => {
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(dockerfile).toMatch(/npm install --workspace services\/\$\{SERVICE\} --omit=dev/);
    expect(dockerfile).toMatch(/^FROM \$\{NODE_IMAGE\}$/m);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
  });
});
