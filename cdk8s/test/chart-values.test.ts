/**
 * The chart refuses bad values before it renders: values.schema.json is generated from
 * src/chart-values.ts, both values files satisfy it, and helm itself (when built) rejects a wrong type,
 * an unknown key and an out-of-range number with a message naming the value.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { toolAvailable, toolPath } from '@tourkit/testenv';
import { parse } from 'yaml';
import {
  chartValuesJsonSchema,
  chartValuesSchema,
  VALUES_SCHEMA_FILE,
} from '../src/chart-values.js';
import {
  DEFAULT_OPTIONS,
  DEVELOPMENT_OVERRIDES,
  resolveOptions,
  type PlatformOptions,
} from '../src/options.js';

const chartDir = path.resolve(import.meta.dirname, '..', '..', 'charts', 'tourkit');
const readYaml = (file: string) => parse(readFileSync(path.join(chartDir, file), 'utf8'));

/** Helm's merge of a values file over the defaults: maps merge key by key, anything else replaces. */
function merge(base: unknown, over: unknown): unknown {
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return over;
  if (typeof over !== 'object' || over === null || Array.isArray(over)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
  return out;
}

describe('chart values schema', () => {
  it('is the file its generator writes (make chart-files)', () => {
    const committed = JSON.parse(readFileSync(path.join(chartDir, VALUES_SCHEMA_FILE), 'utf8'));
    expect(committed).toEqual(JSON.parse(chartValuesJsonSchema()));
  });

  it('accepts values.yaml, and values-development.yaml over it', () => {
    const defaults = readYaml('values.yaml');
    expect(chartValuesSchema.safeParse(defaults).error?.issues).toBeUndefined();
    const development = merge(defaults, readYaml('values-development.yaml'));
    expect(chartValuesSchema.safeParse(development).error?.issues).toBeUndefined();
  });

  it('names the value in what it refuses', () => {
    const defaults = readYaml('values.yaml');
    const bad = merge(defaults, {
      services: { booking: { autoscaling: { minReplicas: 'abc' }, replicaz: 3 } },
      postgres: { antiAffinity: 'sometimes' },
    });
    const issues = chartValuesSchema.safeParse(bad).error?.issues ?? [];
    const paths = issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['services.booking', 'postgres.antiAffinity']));
  });
});

describe('production defaults (values.yaml) and development values (values-development.yaml)', () => {
  const production = readYaml('values.yaml');
  const development = merge(production, readYaml('values-development.yaml')) as typeof production;

  it('production: no demo data, no mail catcher (so no inbox on a NodePort), no public URL of its own', () => {
    expect(production.demoData).toEqual({ enabled: false });
    expect(production.mailCatcher.enabled).toBe(false);
    expect(production.publicUrl).toBe('');
    expect(production.image.registry).not.toBe('');
    expect(production.postgres.antiAffinity).toBe('required');
    // The only NodePorts left are the public entry points.
    const nodePorts = Object.entries(production.services as Record<string, { nodePort?: number }>)
      .filter(([, spec]) => spec.nodePort !== undefined)
      .map(([name]) => name);
    expect(nodePorts.sort()).toEqual(['gateway', 'web']);
  });

  it('development: demo data, Mailpit and the kind URL, local images', () => {
    expect(development.demoData).toEqual({ enabled: true });
    expect(development.mailCatcher).toMatchObject({ enabled: true, nodePort: 30825 });
    expect(development.publicUrl).toBe('http://localhost:8087');
    expect(development.image).toMatchObject({ registry: '', tag: 'dev' });
  });

  /** The platform-wide fields of the options, as the chart's values hold them (namespace is the release's). */
  const platformFields = (options: PlatformOptions) => {
    const { namespace: _, ...fields } = options;
    return fields;
  };

  // Without helm, the equivalence test skips: this one still holds the two value sets to cdk8s's.
  it('say what cdk8s says: values.yaml its defaults, values-development.yaml its DEVELOPMENT_OVERRIDES', () => {
    expect(production).toMatchObject(platformFields(DEFAULT_OPTIONS));
    expect(development).toMatchObject(platformFields(resolveOptions(DEVELOPMENT_OVERRIDES)));
  });
});

const helm = toolPath('helm');
(toolAvailable('helm') ? describe : describe.skip)('helm with values.schema.json', () => {
  const template = (sets: string[]) => {
    try {
      execFileSync(helm, ['template', 'tourkit', chartDir, ...sets.flatMap((s) => ['--set', s])], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return '';
    } catch (error) {
      return String((error as { stderr?: string }).stderr);
    }
  };

  it.each([
    ['a wrong type', 'services.booking.autoscaling.minReplicas=abc', 'minReplicas'],
    ['an unknown key', 'services.booking.replicaz=3', 'replicaz'],
    ['an out-of-range number', 'services.catalog.replicas=0', 'replicas'],
    ['a value outside its set', 'image.pullPolicy=Sometimes', 'pullPolicy'],
    ['an unknown service', 'services.bookings.replicas=2', 'bookings'],
    ['a public URL that is not one', 'publicUrl=not-a-url', 'publicUrl'],
  ])('refuses %s before rendering, naming it', (_, set, name) => {
    const message = template([set]);
    expect(message).toContain('values don');
    expect(message).toContain(name);
  });

  it('renders with good values', () => {
    expect(template(['services.catalog.replicas=5', 'publicUrl=https://tours.example.com'])).toBe(
      '',
    );
  });
});
