/**
 * services/services.json is the one list of services. make images, make dev and the e2e platform
 * read it; the lists that cannot be built from it (cdk8s' typed SERVICE_NAMES, the chart's values,
 * the folders of services/) are checked against it here, so none drifts.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SERVICE_NAMES } from '../src/services.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const list = (
  JSON.parse(readFileSync(path.join(root, 'services', 'services.json'), 'utf8')) as {
    services: Array<{ name: string; port: number; database: boolean }>;
  }
).services;
const names = list.map((s) => s.name);
const sorted = (values: Iterable<string>) => [...values].sort();

describe('the list of services (services/services.json)', () => {
  it('names each package of services/ but the kit library, once', () => {
    const packages = readdirSync(path.join(root, 'services')).filter(
      (entry) => entry !== 'kit' && existsSync(path.join(root, 'services', entry, 'package.json')),
    );
    expect(sorted(names)).toEqual(sorted(packages));
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives each service its own local port, and the gateway 8080', () => {
    expect(new Set(list.map((s) => s.port)).size).toBe(list.length);
    expect(list.find((s) => s.name === 'gateway')?.port).toBe(8080);
  });

  it("is cdk8s' SERVICE_NAMES and the chart's services", () => {
    expect(sorted(SERVICE_NAMES)).toEqual(sorted(names));
    const values = parse(readFileSync(path.join(root, 'charts/tourkit/values.yaml'), 'utf8')) as {
      services: Record<string, unknown>;
    };
    expect(sorted(Object.keys(values.services))).toEqual(sorted(names));
  });
});
