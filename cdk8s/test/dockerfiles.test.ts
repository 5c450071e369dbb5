/** The per-service Dockerfiles stay one file: each is services/catalog/Dockerfile with its own name. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const servicesDir = path.resolve(import.meta.dirname, '..', '..', 'services');
const template = readFileSync(path.join(servicesDir, 'catalog', 'Dockerfile'), 'utf8');
const withDockerfile = readdirSync(servicesDir).filter((s) =>
  existsSync(path.join(servicesDir, s, 'Dockerfile')),
);

describe('service Dockerfiles', () => {
  it.each(withDockerfile)('%s is the shared template with SERVICE=%s', (service) => {
    const text = readFileSync(path.join(servicesDir, service, 'Dockerfile'), 'utf8');
    expect(text).toBe(template.replaceAll('catalog', service));
    expect(text).toContain(`ARG SERVICE=${service}\n`);
  });

  it('run as numeric non-root user 10001 under tini, production deps only', () => {
    expect(template).toMatch(/^USER 10001:10001$/m);
    expect(template).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(template).toMatch(/npm install --workspace services\/\$\{SERVICE\} --omit=dev/);
    expect(template).toMatch(/^FROM \$\{NODE_IMAGE\}$/m);
    expect(template).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
  });
});
