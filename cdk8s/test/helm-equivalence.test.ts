/**
 * `helm template charts/tourkit` must yield the same objects as the cdk8s app, object by object, for the
 * defaults and for each toggle. Needs the helm binary that hack/tools/build.sh builds (or helm on PATH
 * with KUBECONFIG set); without it the suite is skipped, loudly.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { toolAvailable, toolPath } from '@tourkit/testenv';
import { DEVELOPMENT_OVERRIDES, type PartialOptions } from '../src/options.js';
import { byKey, parseManifests, withoutHelmLabels, withParsedJsonData } from './normalize.js';
import { EXAMPLE_PUBLIC_URL, synthPlatform } from './synth.js';

const chartDir = path.resolve(import.meta.dirname, '..', '..', 'charts', 'tourkit');
const helm = toolPath('helm');
const helmAvailable = toolAvailable('helm');
if (!helmAvailable) {
  console.warn(
    `\n!!! SKIPPING the Helm chart tests: no helm binary at ${helm}.\n` +
      '!!! Build it with `hack/tools/build.sh helm` (or `make cluster-tools`), then rerun.\n',
  );
}

function helmRun(args: string[]): string {
  return execFileSync(helm, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `helm template`; without a values file (production), with the public URL production must give. */
function render(sets: string[] = [], valueFiles: string[] = []): ReturnType<typeof parseManifests> {
  const args = ['template', 'tourkit', chartDir, '--namespace', 'tourkit'];
  if (valueFiles.length === 0) args.push('--set', `publicUrl=${EXAMPLE_PUBLIC_URL}`);
  for (const file of valueFiles) args.push('--values', path.join(chartDir, file));
  for (const s of sets) args.push('--set', s);
  return parseManifests(helmRun(args)).map(withoutHelmLabels);
}

function expectSameObjects(sets: string[], options: PartialOptions, valueFiles: string[] = []) {
  const fromHelm = byKey(render(sets, valueFiles).map(withParsedJsonData));
  const fromCdk8s = byKey(synthPlatform(options).platform.map(withParsedJsonData));
  expect([...fromHelm.keys()].sort()).toEqual([...fromCdk8s.keys()].sort());
  for (const [key, object] of fromCdk8s) {
    // One assertion per object, so a difference names the object it is in.
    expect({ [key]: fromHelm.get(key) }).toEqual({ [key]: object });
  }
}

(helmAvailable ? describe : describe.skip)('Helm chart', () => {
  it('passes helm lint --strict, with production values (and a public URL) and with values-development.yaml', () => {
    expect(() =>
      helmRun(['lint', '--strict', chartDir, '--set', `publicUrl=${EXAMPLE_PUBLIC_URL}`]),
    ).not.toThrow();
    expect(() =>
      helmRun([
        'lint',
        '--strict',
        chartDir,
        '--values',
        path.join(chartDir, 'values-development.yaml'),
      ]),
    ).not.toThrow();
  });

  it('refuses to render the production defaults without a public URL, saying which value to give', () => {
    let message = '';
    try {
      helmRun(['template', 'tourkit', chartDir, '--namespace', 'tourkit']);
    } catch (error) {
      message = String((error as { stderr?: string }).stderr);
    }
    expect(message).toMatch(/publicUrl is required/);
  });

  it('refuses the in-cluster observability stack without the mail catcher, naming both values', () => {
    let message = '';
    try {
      render(['observabilityStack.enabled=true']);
    } catch (error) {
      message = String((error as { stderr?: string }).stderr);
    }
    expect(message).toMatch(/observabilityStack\.enabled needs mailCatcher\.enabled/);
  });

  it('renders with default values exactly the objects of the cdk8s app', () => {
    expectSameObjects([], {});
  });

  it('renders with values-development.yaml exactly the objects of the development options', () => {
    expectSameObjects([], DEVELOPMENT_OVERRIDES, ['values-development.yaml']);
  });

  it.each([
    [['cloudnativepg.enabled=true'], { cloudnativepg: { enabled: true } }],
    [['networkPolicies.enabled=false'], { networkPolicies: { enabled: false } }],
    [['mailCatcher.enabled=true'], { mailCatcher: { enabled: true } }],
    [['demoData.enabled=true'], { demoData: { enabled: true } }],
    [['cpuRequestPercent=25'], { cpuRequestPercent: 25 }],
    [
      ['cpuRequestPercent=33', 'cloudnativepg.enabled=true'],
      { cpuRequestPercent: 33, cloudnativepg: { enabled: true } },
    ],
    [
      ['loadGenerator.enabled=true', 'loadGenerator.rate=12', 'loadGenerator.duration=90s'],
      { loadGenerator: { enabled: true, rate: 12, duration: '90s' } },
    ],
    [
      ['operator.watchNamespaces={tourkit,staging}'],
      { operator: { watchNamespaces: ['tourkit', 'staging'] } },
    ],
    [
      ['publicUrl=https://tours.example.com', 'supportEmail=ops@example.com'],
      { publicUrl: 'https://tours.example.com', supportEmail: 'ops@example.com' },
    ],
    [
      ['otlpEndpoint=http://jaeger-collector.observability.svc:4318'],
      { otlpEndpoint: 'http://jaeger-collector.observability.svc:4318' },
    ],
    [['otlpEndpoint=https://otlp.example.com'], { otlpEndpoint: 'https://otlp.example.com' }],
    [
      [
        'observabilityStack.enabled=true',
        'mailCatcher.enabled=true',
        'otlpEndpoint=http://jaeger.tourkit.svc:4318',
        'supportEmail=ops@example.com',
        'observabilityStack.pullPolicy=Never',
        'observabilityStack.prometheusImage=tourkit.local/prometheus:v0.316.0',
        'observabilityStack.jaegerNodePort=31686',
      ],
      {
        observabilityStack: {
          enabled: true,
          pullPolicy: 'Never',
          prometheusImage: 'tourkit.local/prometheus:v0.316.0',
          jaegerNodePort: 31686,
        },
        mailCatcher: { enabled: true },
        otlpEndpoint: 'http://jaeger.tourkit.svc:4318',
        supportEmail: 'ops@example.com',
      },
    ],
    [
      [
        'observabilityStack.enabled=true',
        'mailCatcher.enabled=true',
        'networkPolicies.enabled=false',
        'cpuRequestPercent=25',
      ],
      {
        observabilityStack: { enabled: true },
        mailCatcher: { enabled: true },
        networkPolicies: { enabled: false },
        cpuRequestPercent: 25,
      },
    ],
    [
      ['serviceMonitor.enabled=false', 'prometheusRules.enabled=false'],
      { serviceMonitor: { enabled: false }, prometheusRules: { enabled: false } },
    ],
    [
      ['image.registry=registry.example.com/', 'image.tag=1.2.3'],
      { image: { registry: 'registry.example.com/', tag: '1.2.3' } },
    ],
    [
      [
        'image.pullPolicy=Always',
        'postgres.pullPolicy=Never',
        'redis.pullPolicy=Never',
        'mailCatcher.enabled=true',
        'mailCatcher.pullPolicy=Always',
      ],
      {
        image: { pullPolicy: 'Always' },
        postgres: { pullPolicy: 'Never' },
        redis: { pullPolicy: 'Never' },
        mailCatcher: { enabled: true, pullPolicy: 'Always' },
      },
    ],
  ] as Array<[string[], PartialOptions]>)(
    'with %j, still the same objects as cdk8s',
    (sets, options) => {
      expectSameObjects(sets, options);
    },
  );

  it('carries profile overrides from values into the HPA', () => {
    const hpa = render([
      'services.booking.autoscaling.minReplicas=5',
      'services.booking.autoscaling.maxReplicas=10',
    ]).find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'booking')!;
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([5, 10]);
  });

  it('sizes the database pool from an overridden maximum (all replicas within the connection budget)', () => {
    const config = render(['services.booking.autoscaling.maxReplicas=20']).find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name === 'booking-config',
    )!;
    expect(config.data!.DB_POOL_MAX).toBe('4');
  });

  it('refuses an autoscaler whose minimum exceeds its maximum, naming the value', () => {
    expect(() => render(['services.catalog.autoscaling.minReplicas=12'])).toThrow(
      /services\.catalog\.autoscaling\.minReplicas \(12\) must not exceed maxReplicas \(10\)/,
    );
  });
});
