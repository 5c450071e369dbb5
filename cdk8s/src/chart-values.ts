/**
 * The Helm chart's values as a zod schema: charts/tourkit/values.schema.json is generated from it
 * (`make chart-files`), so `helm install/template` refuses a wrong type, an unknown key or an
 * out-of-range number with a message naming the value, before anything renders. Field names and
 * meanings are those of PlatformOptions (./options.ts) and the ServiceSpec table (./services.ts);
 * cdk8s/test/chart-values.test.ts checks both values files against it and that the file is current.
 */
import { z } from 'zod';
import { SHARED_SETTINGS, REDIS_ROLES, SERVICE_NAMES } from './services.js';

const quantity = (what: string) =>
  z
    .string()
    .regex(
      /^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/,
      `${what}: a Kubernetes quantity, e.g. 100m or 128Mi`,
    );
const pullPolicy = z.enum(['IfNotPresent', 'Always', 'Never']).meta({ id: 'pullPolicy' });
const replicas = z.int().min(1).max(100);
const port = (min: number, max: number) => z.int().min(min).max(max);
const enabled = z.strictObject({ enabled: z.boolean() }).meta({ id: 'toggle' });
const namespaceName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);

const resources = z
  .strictObject({
    requests: z.strictObject({
      cpu: quantity('cpu'),
      memory: quantity('memory'),
      ephemeralStorage: quantity('ephemeralStorage'),
    }),
    limits: z.strictObject({
      cpu: quantity('cpu'),
      memory: quantity('memory'),
      ephemeralStorage: quantity('ephemeralStorage'),
    }),
  })
  .meta({ id: 'resources' });

const scalingRules = z
  .strictObject({
    stabilizationWindowSeconds: z.int().min(0).max(3600),
    policies: z
      .array(
        z.strictObject({
          type: z.enum(['Pods', 'Percent']),
          value: z.int().min(1),
          periodSeconds: z.int().min(1).max(1800),
        }),
      )
      .min(1),
  })
  .meta({ id: 'scalingRules' });

const autoscaling = z.union([
  z.strictObject({ enabled: z.literal(false) }),
  z.strictObject({
    enabled: z.literal(true),
    minReplicas: replicas,
    maxReplicas: replicas,
    cpuUtilization: z.int().min(1).max(100),
    memoryUtilization: z.int().min(1).max(100).optional(),
    behavior: z
      .strictObject({ scaleUp: scalingRules.optional(), scaleDown: scalingRules.optional() })
      .optional(),
  }),
]);

const service = z
  .strictObject({
    profile: z.enum(['read-heavy', 'peak-time', 'steady', 'modest']),
    replicas,
    autoscaling,
    resources,
    database: z
      .strictObject({
        readReplicas: z.int().min(0).max(10),
        synchronousStandby: z.boolean(),
        storage: quantity('storage'),
      })
      .optional(),
    readsFromReplicas: z.boolean().optional(),
    redis: z.enum(REDIS_ROLES).optional(),
    calls: z.array(z.enum(SERVICE_NAMES)),
    nodePort: port(30000, 32767).optional(),
    verifiesTokens: z.boolean(),
    internalToken: z.boolean(),
    signsTokens: z.boolean().optional(),
    signsPaymentLinks: z.boolean().optional(),
    sendsMail: z.boolean().optional(),
    seedsDemoData: z.boolean().optional(),
    sharedSettings: z.array(z.enum(SHARED_SETTINGS)).optional(),
    settings: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string()).optional(),
  })
  .meta({ id: 'service' });

const redisServer = z
  .strictObject({
    persistent: z.boolean(),
    maxmemory: z.string().regex(/^[0-9]+(kb|mb|gb)$/, 'maxmemory: e.g. 192mb'),
    maxmemoryPolicy: z.enum([
      'noeviction',
      'allkeys-lru',
      'allkeys-lfu',
      'volatile-lru',
      'volatile-lfu',
      'allkeys-random',
      'volatile-random',
      'volatile-ttl',
    ]),
    storage: quantity('storage').optional(),
  })
  .meta({ id: 'redisServer' });

export const chartValuesSchema = z.strictObject({
  image: z.strictObject({ registry: z.string(), tag: z.string().min(1), pullPolicy }),
  secretName: z.string().min(1),
  monitoringNamespace: namespaceName,
  otlpEndpoint: z.union([z.literal(''), z.url()]),
  // Empty is the production default: templates/configmap.yaml's `required` refuses to render it, with
  // a message saying what to give; anything else must be a URL.
  publicUrl: z.union([z.literal(''), z.url()]),
  supportEmail: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'supportEmail: an e-mail address'),
  mailCatcher: z.strictObject({
    enabled: z.boolean(),
    image: z.string().min(1),
    pullPolicy,
    nodePort: port(30000, 32767),
  }),
  observabilityStack: z.strictObject({
    enabled: z.boolean(),
    pullPolicy,
    prometheusImage: z.string().min(1),
    prometheusNodePort: port(30000, 32767),
    alertmanagerImage: z.string().min(1),
    alertmanagerNodePort: port(30000, 32767),
    jaegerImage: z.string().min(1),
    jaegerNodePort: port(30000, 32767),
  }),
  demoData: enabled,
  cpuRequestPercent: z.int().min(1).max(100),
  loadGenerator: z.strictObject({
    enabled: z.boolean(),
    image: z.string().min(1),
    pullPolicy,
    rate: z.int().min(1).max(200),
    duration: z.string().regex(/^\d+(s|m|h)$/, 'duration: like 90s, 10m or 1h'),
    users: z.int().min(1).max(500),
    bookRatio: z.number().min(0).max(1),
  }),
  cloudnativepg: enabled,
  serviceMonitor: enabled,
  prometheusRules: enabled,
  networkPolicies: enabled,
  operator: z.strictObject({
    enabled: z.boolean(),
    image: z.string().min(1),
    replicas: z.int().min(1).max(5),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']),
    watchNamespaces: z.array(namespaceName),
    // Validated where it is defined: the ScalingSchedule CRD's schema and CEL rules.
    bookingSchedule: z.looseObject({}),
  }),
  shutdown: z.strictObject({
    preStopSleepSeconds: z.int().min(0).max(60),
    drainSeconds: z.int().min(0).max(60),
    timeoutSeconds: z.int().min(1).max(300),
  }),
  postgres: z.strictObject({
    image: z.string().min(1),
    pullPolicy,
    antiAffinity: z.enum(['required', 'preferred']),
    resources,
  }),
  redis: z.strictObject({
    image: z.string().min(1),
    pullPolicy,
    queue: redisServer,
    cache: redisServer,
    resources,
  }),
  alerts: z.strictObject({
    errorRatio: z.number().gt(0).lt(1),
    p99Seconds: z.number().positive(),
    restarts: z.int().min(1),
  }),
  services: z.strictObject(
    Object.fromEntries(SERVICE_NAMES.map((name) => [name, service])) as Record<
      string,
      typeof service
    >,
  ),
});

export const VALUES_SCHEMA_FILE = 'values.schema.json';

/** charts/tourkit/values.schema.json, as `make chart-files` writes it. */
export function chartValuesJsonSchema(): string {
  const schema = z.toJSONSchema(chartValuesSchema, {
    target: 'draft-7',
    io: 'input',
  });
  const title =
    'Tourkit chart values (generated from cdk8s/src/chart-values.ts by make chart-files)';
  return `${JSON.stringify({ ...schema, title }, null, 2)}\n`;
}
