/**
 * Each service gets exactly the environment its own config schema reads (nothing it ignores, everything it
 * requires, values it accepts), checked against the services' real schemas; and the network policies open
 * exactly the calls each service makes, plus the mail catcher.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { backgroundSettings, bookingConfigSchema, retryDelaysMs } from '@tourkit/booking/config';
import { notificationConfigSchema } from '@tourkit/notification/config';
import {
  DEFAULT_OPTIONS,
  DEVELOPMENT_OVERRIDES,
  optionsFromEnvironment,
  type PartialOptions,
} from '../src/options.js';
import {
  DB_CONNECTION_BUDGET,
  SERVICE_NAMES,
  SERVICES,
  maxReplicasOf,
  type ServiceName,
} from '../src/services.js';
import { EXAMPLE_PUBLIC_URL, synthPlatform, type Json } from './synth.js';

// Each service's config schema, from its `./config` export (CONTRIBUTING.md, "Adding a service").
const schemas = new Map<ServiceName, z.ZodObject>(
  await Promise.all(
    SERVICE_NAMES.map(async (name): Promise<[ServiceName, z.ZodObject]> => {
      const config = (await import(`@tourkit/${name}/config`)) as Record<string, unknown>;
      const schema = config[`${name}ConfigSchema`] as z.ZodObject | undefined;
      if (schema === undefined)
        throw new Error(`@tourkit/${name}/config exports no ${name}ConfigSchema`);
      return [name, schema];
    }),
  ),
);
const schemaOf = (name: ServiceName): z.ZodObject => schemas.get(name)!;

/** What `create-secrets.sh` would put in the Secret (and what an operator adds for a real relay). */
const PEM = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----';
const SECRET: Record<string, string> = {
  'internal-token': 'i'.repeat(64),
  'jwt-public-key': PEM,
  'jwt-private-key': PEM.replaceAll('PUBLIC', 'PRIVATE'),
  'payment-link-secret': 'p'.repeat(64),
  'postgres-password': 'pw',
  'redis-password': 'rpw',
  'smtp-url': 'smtps://mailer:secret@smtp.example.com:465',
};
/** Declared only so that Kubernetes expands them in DATABASE_URL and REDIS_URL; no service reads them. */
const EXPANSION_ONLY = new Set(['DB_PASSWORD', 'REDIS_PASSWORD']);

/** The container's environment as Kubernetes builds it: ConfigMap, then `env` with $(VAR) expansion. */
function environmentOf(name: string, overrides: PartialOptions = {}): Record<string, string> {
  const { find } = synthPlatform(overrides);
  const container = find('Deployment', name).spec.template.spec.containers[0];
  const environment: Record<string, string> = {};
  for (const source of container.envFrom as Json[])
    Object.assign(environment, find('ConfigMap', source.configMapRef.name).data);
  for (const e of container.env as Json[]) {
    const ref = e.valueFrom?.secretKeyRef;
    if (ref && ref.name !== 'tourkit-secrets') throw new Error(`unexpected Secret ${ref.name}`);
    environment[e.name] = ref
      ? SECRET[ref.key]!
      : (e.value as string).replace(/\$\(([A-Z_]+)\)/g, (_, v: string) => environment[v]!);
  }
  return environment;
}

const readVariables = (environment: Record<string, string>) =>
  Object.keys(environment).filter((v) => !EXPANSION_ONLY.has(v));
const required = (schema: z.ZodObject) =>
  Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);

describe.each([...SERVICE_NAMES])('%s environment', (name) => {
  const schema = schemaOf(name);
  const environment = environmentOf(name);

  it('holds only variables the service reads', () => {
    const known = new Set(Object.keys(schema.shape));
    expect(readVariables(environment).filter((v) => !known.has(v))).toEqual([]);
  });

  it('holds every variable the service requires', () => {
    expect(required(schema).filter((v) => !(v in environment))).toEqual([]);
  });

  it("passes the service's own validation", () => {
    const result = schema.safeParse(environment);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });
});

describe('settings that matter in production', () => {
  it("give booking the course's payment policy: retries after 1, 2, 4, 8, 16 s, breaker 5 s / 50 % / 30 s, 24 h holds", () => {
    const settings = backgroundSettings(bookingConfigSchema.parse(environmentOf('booking')));
    expect(retryDelaysMs(settings.retry)).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(settings.breaker).toMatchObject({
      timeoutMs: 5000,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 30000,
    });
    expect(settings.reservationTtlMs).toBe(24 * 3_600_000);
  });

  it('point booking at payment, notification and catalog, its payment links at the web app as users reach it', () => {
    const environment = environmentOf('booking');
    expect(environment).toMatchObject({
      PAYMENT_URL: 'http://payment.tourkit.svc:8080',
      NOTIFICATION_URL: 'http://notification.tourkit.svc:8080',
      CATALOG_URL: 'http://catalog.tourkit.svc:8080',
      REDIS_URL: 'redis://:rpw@redis-queue.tourkit.svc:6379',
      PUBLIC_URL: EXAMPLE_PUBLIC_URL,
    });
    expect(environmentOf('booking', { publicUrl: 'https://tours.test' }).PUBLIC_URL).toBe(
      'https://tours.test',
    );
    expect(environmentOf('booking', DEVELOPMENT_OVERRIDES).PUBLIC_URL).toBe(
      'http://localhost:8087',
    );
  });

  it('refuse to render without a public URL (the production default is empty), saying what to give', () => {
    expect(DEFAULT_OPTIONS.publicUrl).toBe('');
    expect(() => environmentOf('booking', { publicUrl: '' })).toThrow(
      /publicUrl is required: .*make synth PUBLIC_URL=/,
    );
  });

  it('send support alerts of booking and notification to the same address', () => {
    const address = 'ops@example.com';
    expect(environmentOf('booking', { supportEmail: address }).SUPPORT_EMAIL).toBe(address);
    expect(environmentOf('notification', { supportEmail: address }).SUPPORT_EMAIL).toBe(address);
  });

  it('keep the secrets out of the ConfigMaps and away from services that do not use them', () => {
    const { ofKind } = synthPlatform({ mailCatcher: { enabled: false } });
    for (const map of ofKind('ConfigMap'))
      expect(Object.keys(map.data ?? {})).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/TOKEN|KEY|PASSWORD/)]),
      );
    expect(environmentOf('gateway').INTERNAL_TOKEN).toBeUndefined();
    expect(environmentOf('booking').PAYMENT_LINK_SECRET).toBe(SECRET['payment-link-secret']);
    expect(environmentOf('catalog').PAYMENT_LINK_SECRET).toBeUndefined();
    expect(environmentOf('payment').JWT_PUBLIC_KEY).toBeUndefined();
    expect(environmentOf('notification').JWT_PUBLIC_KEY).toBeUndefined();
  });

  it('size every pool so that all replicas at their maximum fit the database (booking: 15 × 5)', () => {
    for (const spec of SERVICES.filter((s) => s.database)) {
      const pool = Number(environmentOf(spec.name).DB_POOL_MAX);
      expect(pool).toBeGreaterThanOrEqual(1);
      expect(pool * maxReplicasOf(spec)).toBeLessThanOrEqual(DB_CONNECTION_BUDGET);
    }
    expect(environmentOf('booking').DB_POOL_MAX).toBe('5');
    expect(environmentOf('payment').DB_POOL_MAX).toBe('10');
  });
});

describe('demo data', () => {
  const seeders = SERVICE_NAMES.filter((name) => 'SEED_DEMO_DATA' in schemaOf(name).shape);

  it('is seeded by exactly the services whose schema reads SEED_DEMO_DATA: catalog and booking', () => {
    expect(seeders).toEqual(['catalog', 'booking']);
    expect(SERVICES.filter((s) => s.seedsDemoData).map((s) => s.name)).toEqual(seeders);
  });

  it('is on with the development values (kind): catalog seeds its tours, booking its promo codes', () => {
    for (const name of seeders) {
      expect(environmentOf(name, DEVELOPMENT_OVERRIDES).SEED_DEMO_DATA).toBe('true');
      expect(schemaOf(name).parse(environmentOf(name, DEVELOPMENT_OVERRIDES)).SEED_DEMO_DATA).toBe(
        true,
      );
    }
  });

  it('is off by default (production), written as false, so no default of the services can seed', () => {
    for (const name of seeders) {
      expect(environmentOf(name).SEED_DEMO_DATA).toBe('false');
      expect(schemaOf(name).parse(environmentOf(name)).SEED_DEMO_DATA).toBe(false);
    }
  });

  it('follows TOURKIT_DEMO_DATA (`make synth DEMO_DATA=0`), naming the variable when it is not a boolean', () => {
    expect(optionsFromEnvironment({}).demoData.enabled).toBe(false);
    expect(optionsFromEnvironment({ TOURKIT_VALUES: 'development' }).demoData.enabled).toBe(true);
    expect(
      optionsFromEnvironment({ TOURKIT_VALUES: 'development', TOURKIT_DEMO_DATA: '0' }).demoData
        .enabled,
    ).toBe(false);
    expect(optionsFromEnvironment({ TOURKIT_DEMO_DATA: '1' }).demoData.enabled).toBe(true);
    expect(() => optionsFromEnvironment({ TOURKIT_DEMO_DATA: 'maybe' })).toThrow(
      /TOURKIT_DEMO_DATA: expected true\/false\/1\/0\/yes\/no, got "maybe"/,
    );
  });
});

describe('images of a cluster without a registry (hack/node/platform-up.sh)', () => {
  it('keeps the upstream images by default and takes the ones built here from the environment', () => {
    const defaults = optionsFromEnvironment({});
    expect(defaults.postgres.image).toBe('docker.io/library/postgres:17.6');
    expect(defaults.image.pullPolicy).toBe('IfNotPresent');
    const local = optionsFromEnvironment({
      TOURKIT_POSTGRES_IMAGE: 'tourkit.local/postgres:17',
      TOURKIT_REDIS_IMAGE: 'tourkit.local/redis:8.0',
      TOURKIT_MAIL_CATCHER_IMAGE: 'tourkit.local/mailpit:v1.33.1',
      TOURKIT_MAIL_CATCHER: '1',
      TOURKIT_IMAGE_PULL_POLICY: 'Never',
    });
    expect(local.postgres.image).toBe('tourkit.local/postgres:17');
    expect(local.redis.image).toBe('tourkit.local/redis:8.0');
    // The pull policy applies to every image: none of them can be pulled here.
    expect(local.mailCatcher).toEqual({
      ...defaults.mailCatcher,
      enabled: true,
      image: 'tourkit.local/mailpit:v1.33.1',
      pullPolicy: 'Never',
    });
    expect(local.image.pullPolicy).toBe('Never');
    expect(local.postgres.pullPolicy).toBe('Never');
    expect(local.redis.pullPolicy).toBe('Never');
  });

  it('names TOURKIT_IMAGE_PULL_POLICY when it is not a pull policy', () => {
    expect(() => optionsFromEnvironment({ TOURKIT_IMAGE_PULL_POLICY: 'Sometimes' })).toThrow(
      /TOURKIT_IMAGE_PULL_POLICY: expected IfNotPresent\/Always\/Never, got "Sometimes"/,
    );
  });
});

/** `name:port` of every destination a policy's egress rules open (peers named by their app label). */
function egressOf(policy: Json): string[] {
  return (policy.spec.egress as Json[])
    .flatMap((rule) =>
      (rule.to ?? [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': '*' } } }]).flatMap(
        (peer: Json) =>
          rule.ports.map(
            (p: Json) => `${peer.podSelector.matchLabels['app.kubernetes.io/name']}:${p.port}`,
          ),
      ),
    )
    .sort();
}
/** `name:port` of every source a policy's ingress rules let in (`*` for any source, `ns/<name>` for a namespace). */
function ingressOf(policy: Json): string[] {
  return (policy.spec.ingress as Json[])
    .flatMap((rule) =>
      (rule.from ?? [{ any: true }]).flatMap((peer: Json) =>
        rule.ports.map((p: Json) => {
          const source = peer.any
            ? '*'
            : peer.namespaceSelector
              ? `ns/${peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name']}`
              : peer.podSelector.matchLabels['app.kubernetes.io/name'];
          return `${source}:${p.port}`;
        }),
      ),
    )
    .sort();
}

describe('network policies: traces to the OTLP collector', () => {
  it.each([
    ['http://jaeger-collector.observability.svc:4318', '*:4318'],
    ['https://otlp.example.com', '*:443'],
    ['http://otel-collector', '*:80'],
  ])('every service may reach %s (%s), which the default denies', (otlpEndpoint, opened) => {
    const { find } = synthPlatform({ otlpEndpoint });
    for (const name of SERVICE_NAMES) {
      expect(egressOf(find('NetworkPolicy', name))).toContain(opened);
      expect(find('ConfigMap', `${name}-config`).data!.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(
        otlpEndpoint,
      );
    }
  });

  it('opens no OTLP port while no endpoint is set', () => {
    const { find } = synthPlatform();
    for (const name of SERVICE_NAMES)
      expect(egressOf(find('NetworkPolicy', name)).filter((e) => e.startsWith('*:4318'))).toEqual(
        [],
      );
  });
});

describe('network policies: exactly the calls each service makes', () => {
  const { find } = synthPlatform();
  const http = (...names: string[]) => names.map((n) => `${n}:8080`);
  // From the services' READMEs ("calls") and config: whom each service reaches (DNS comes from allow-dns).
  const expectedEgress: Readonly<Record<ServiceName, string[]>> = {
    gateway: [...http('catalog', 'user', 'booking', 'review'), 'redis-cache:6379'],
    catalog: [...http('booking'), 'catalog-db:5432', 'redis-cache:6379'],
    user: ['user-db:5432'],
    booking: [...http('catalog', 'payment', 'notification'), 'redis-queue:6379', 'booking-db:5432'],
    review: [...http('booking', 'catalog', 'notification'), 'review-db:5432'],
    payment: ['payment-db:5432'],
    // Production: a real relay outside the cluster, on the SMTP ports (development: mailpit:1025).
    notification: [
      ...http('user', 'catalog', 'booking'),
      'redis-queue:6379',
      '*:25',
      '*:465',
      '*:587',
      'notification-db:5432',
    ],
    web: http('gateway', 'booking'),
  };

  it.each([...SERVICE_NAMES])('%s reaches only its callees, its stores and SMTP', (name) => {
    expect(egressOf(find('NetworkPolicy', name))).toEqual(expectedEgress[name]?.sort());
  });

  // The gateway and web are reached from outside (NodePort): everyone may come in.
  it.each([...SERVICE_NAMES].filter((s) => s !== 'gateway' && s !== 'web'))(
    '%s lets in exactly the services that call it, and Prometheus',
    (name) => {
      const callers = SERVICE_NAMES.filter((c) => expectedEgress[c]?.includes(`${name}:8080`));
      expect(ingressOf(find('NetworkPolicy', name))).toEqual(
        [...callers.map((c) => `${c}:http`), 'ns/monitoring:http'].sort(),
      );
    },
  );

  it('let each Redis in only from its users: the queues from booking and notification, the cache from catalog and the gateway', () => {
    expect(ingressOf(find('NetworkPolicy', 'redis-queue'))).toEqual(
      ['booking', 'notification'].map((n) => `${n}:6379`),
    );
    expect(ingressOf(find('NetworkPolicy', 'redis-cache'))).toEqual(
      ['catalog', 'gateway'].map((n) => `${n}:6379`),
    );
  });
});

describe('the mail catcher (Mailpit), on with the development values', () => {
  const { find, maybe } = synthPlatform(DEVELOPMENT_OVERRIDES);

  it('let the mail catcher take SMTP from notification only, and its inbox from anywhere', () => {
    const policy = find('NetworkPolicy', 'mailpit');
    expect(ingressOf(policy)).toEqual(['*:8025', 'notification:1025']);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.egress).toBeUndefined();
    expect(egressOf(find('NetworkPolicy', 'notification'))).toContain('mailpit:1025');
  });

  it('receives every e-mail notification sends', () => {
    expect(environmentOf('notification', DEVELOPMENT_OVERRIDES).SMTP_URL).toBe(
      'smtp://mailpit.tourkit.svc:1025',
    );
    expect(find('Service', 'mailpit').spec).toMatchObject({
      type: 'ClusterIP',
      ports: [{ name: 'smtp', port: 1025, targetPort: 'smtp' }],
    });
  });

  it("keeps one message per Message-ID, as notification's at-least-once sending expects", () => {
    const container = find('Deployment', 'mailpit').spec.template.spec.containers[0];
    expect(container.env).toContainEqual({ name: 'MP_IGNORE_DUPLICATE_IDS', value: 'true' });
  });

  it('shows its inbox on NodePort 30825, which kind maps to http://localhost:8025', () => {
    expect(find('Service', 'mailpit-web').spec).toMatchObject({
      type: 'NodePort',
      ports: [{ name: 'web', port: 8025, targetPort: 'web', nodePort: 30825 }],
    });
    const kind = parse(
      readFileSync(path.resolve(import.meta.dirname, '..', '..', 'kind-config.yaml'), 'utf8'),
    );
    const mappings = kind.nodes.flatMap((n: Json) => n.extraPortMappings ?? []);
    expect(mappings).toContainEqual({ containerPort: 30825, hostPort: 8025, protocol: 'TCP' });
  });

  it('runs one restricted pod of axllent/mailpit, probed on its own health endpoints', () => {
    const deployment = find('Deployment', 'mailpit');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(deployment.spec.replicas).toBe(1);
    expect(container.image).toMatch(/^docker\.io\/axllent\/mailpit:v\d+\.\d+/);
    expect(container.ports).toEqual([
      { name: 'smtp', containerPort: 1025, protocol: 'TCP' },
      { name: 'web', containerPort: 8025, protocol: 'TCP' },
    ]);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'web' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'web' });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(maybe('HorizontalPodAutoscaler', 'mailpit')).toBeUndefined();
  });

  describe('off by default (production: a real relay)', () => {
    const off = synthPlatform();

    it('is not deployed, so no inbox is open on a NodePort', () => {
      expect(DEFAULT_OPTIONS.mailCatcher.enabled).toBe(false);
      expect(
        off
          .ofKind('Service')
          .filter((s) => s.spec.type === 'NodePort')
          .map((s) => s.metadata.name)
          .sort(),
      ).toEqual(['gateway', 'web']);
      for (const [kind, name] of [
        ['Deployment', 'mailpit'],
        ['Service', 'mailpit'],
        ['Service', 'mailpit-web'],
        ['NetworkPolicy', 'mailpit'],
      ])
        expect(off.maybe(kind!, name!)).toBeUndefined();
    });

    it("takes notification's SMTP_URL from the Secret and opens only the SMTP ports", () => {
      const container = off.find('Deployment', 'notification').spec.template.spec.containers[0];
      expect(container.env.find((e: Json) => e.name === 'SMTP_URL').valueFrom.secretKeyRef).toEqual(
        { name: 'tourkit-secrets', key: 'smtp-url' },
      );
      expect(off.find('ConfigMap', 'notification-config').data!.SMTP_URL).toBeUndefined();
      expect(egressOf(off.find('NetworkPolicy', 'notification'))).toEqual(
        expect.arrayContaining(['*:25', '*:465', '*:587']),
      );
      expect(egressOf(off.find('NetworkPolicy', 'notification'))).not.toContain('mailpit:1025');
    });

    it("still satisfies notification's validation", () => {
      const result = notificationConfigSchema.safeParse(environmentOf('notification'));
      expect(result.success).toBe(true);
    });
  });
});
