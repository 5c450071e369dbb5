/**
 * services/services.json is the one list of services: cdk8s' SERVICE_NAMES and SERVICES are built from
 * it (src/service-list.ts, src/services.ts), and so is the chart's values schema. What cannot be built
 * from it is checked against it here: the folders of services/ and the chart's values.yaml.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseServiceList, SERVICE_LIST, SERVICE_NAMES } from '../src/service-list.js';
import { SERVICES, servicesFrom, type ServiceSpecs } from '../src/services.js';
import { chartValuesJsonSchema } from '../src/chart-values.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const sorted = (values: Iterable<string>) => [...values].sort();

describe('the list of services (services/services.json)', () => {
  it('names each package of services/ but the kit library, once', () => {
    const packages = readdirSync(path.join(root, 'services')).filter(
      (entry) => entry !== 'kit' && existsSync(path.join(root, 'services', entry, 'package.json')),
    );
    expect(sorted(SERVICE_NAMES)).toEqual(sorted(packages));
  });

  it('gives the gateway 8080', () => {
    expect(SERVICE_LIST.find((s) => s.name === 'gateway')?.port).toBe(8080);
  });

  it("is cdk8s' services, in its order, and the chart's", () => {
    expect(SERVICES.map((s) => s.name)).toEqual(SERVICE_NAMES);
    const values = parse(readFileSync(path.join(root, 'charts/tourkit/values.yaml'), 'utf8')) as {
      services: Record<string, unknown>;
    };
    expect(sorted(Object.keys(values.services))).toEqual(sorted(SERVICE_NAMES));
  });

  it("makes the chart's values schema require exactly its services", () => {
    const schema = JSON.parse(chartValuesJsonSchema()) as { properties: { services: Json } };
    const services = schema.properties.services;
    expect(sorted(services.required as string[])).toEqual(sorted(SERVICE_NAMES));
    expect(services.additionalProperties).toBe(false);
  });

  it('refuses a bad list, naming the field', () => {
    const bad = (services: unknown) => () =>
      parseServiceList(JSON.stringify({ services }), 'services.json');
    expect(
      bad([
        { name: 'a', port: 1, database: true },
        { name: 'a', port: 2, database: true },
      ]),
    ).toThrow('services.json: services: a name twice');
    expect(
      bad([
        { name: 'a', port: 1, database: true },
        { name: 'b', port: 1, database: true },
      ]),
    ).toThrow('a port twice');
    expect(bad([{ name: 'Booking', port: 1, database: true }])).toThrow('services.0.name');
    expect(bad([{ name: 'a', port: '1', database: true }])).toThrow('services.0.port');
    expect(bad([{ name: 'a', port: 1 }])).toThrow('services.0.database');
  });
});

type Json = Record<string, unknown>;

describe("cdk8s' services, built from the list", () => {
  const spec = (calls: string[], database = false) => ({
    ...SERVICES.find((s) => s.name === 'payment')!,
    calls,
    database: database ? { readReplicas: 0, synchronousStandby: false, storage: '1Gi' } : undefined,
  });
  const list = [
    { name: 'a', port: 1, database: true },
    { name: 'b', port: 2, database: false },
  ];

  it("follow the list's order and names", () => {
    const specs: ServiceSpecs = { b: spec(['a']), a: spec([], true) };
    expect(servicesFrom(list, specs).map((s) => [s.name, s.calls])).toEqual([
      ['a', []],
      ['b', ['a']],
    ]);
  });

  it('refuse a listed service without a spec, a spec of no listed service, an unlisted callee and a database the list does not give', () => {
    expect(() => servicesFrom(list, { a: spec([], true) })).toThrow('b has no spec');
    expect(() => servicesFrom(list, { a: spec([], true), b: spec([]), c: spec([]) })).toThrow(
      'c has a spec but is not in the list',
    );
    expect(() => servicesFrom(list, { a: spec(['z'], true), b: spec([]) })).toThrow(
      'a calls z, not in the list',
    );
    expect(() => servicesFrom(list, { a: spec([]), b: spec([]) })).toThrow(
      'a: the list says database true',
    );
  });
});
