import { ApiObject } from 'cdk8s';
import { ServiceAccount, ConfigMap, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { labels, selectorLabels } from '../labels.js';
import { imageFor, requirePublicUrl, type PlatformOptions } from '../options.js';
import type { Autoscaling, ScalingRules } from '../profiles.js';
import { dbPoolMax, urlVariable, type ServiceSpec, type SharedSetting } from '../services.js';
import { mailCatcherSmtpUrl } from './mail-catcher.js';
import { databaseEndpoints, type DatabaseEndpoints } from './postgres.js';
import { REDIS_PASSWORD_KEY, redisUrl } from './redis.js';
import { LIVENESS, READINESS, STARTUP } from './probes.js';
import { resourceRequirements, scaledUtilization } from './resources.js';
import { restrictedSecurityContext } from './security-context.js';

export const CONTAINER_PORT = 8080;
export const RUN_AS_USER = 10001;
/** Seconds the pod keeps serving after it is marked terminating, while endpoints drop it everywhere. */
export const PRESTOP_SLEEP_SECONDS = 5;
/** Then the kit fails /readyz this long before it stops accepting (SHUTDOWN_DRAIN_SECONDS)... */
export const SHUTDOWN_DRAIN_SECONDS = 5;
/** ...and gives in-flight requests this long to finish (SHUTDOWN_TIMEOUT_SECONDS). */
export const SHUTDOWN_TIMEOUT_SECONDS = 20;
export const TERMINATION_GRACE_SECONDS =
  PRESTOP_SLEEP_SECONDS + SHUTDOWN_DRAIN_SECONDS + SHUTDOWN_TIMEOUT_SECONDS + 5;

export interface TourkitServiceProps {
  readonly spec: ServiceSpec;
  readonly options: PlatformOptions;
}

/**
 * One Tourkit service: ServiceAccount (no token), ConfigMap, Deployment, Service, and what its profile asks for
 * (HorizontalPodAutoscaler, PodDisruptionBudget), plus a ServiceMonitor when the Prometheus operator is used.
 */
export class TourkitService extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: TourkitServiceProps) {
    super(scope, id);
    const { spec, options } = props;
    this.name = spec.name;
    const ns = options.namespace;
    const meta = (component = 'api') => ({
      name: spec.name,
      namespace: ns,
      labels: labels(spec.name, component),
    });
    const db = spec.database ? databaseEndpoints(spec.name, options) : undefined;

    new ServiceAccount(this, 'service-account', { metadata: meta(), automountToken: false });

    new ConfigMap(this, 'config', {
      metadata: { ...meta(), name: `${spec.name}-config` },
      data: configData(spec, options),
    });

    new k8s.KubeDeployment(this, 'deployment', {
      metadata: meta(),
      spec: {
        // With an autoscaler the HPA owns the replica count; re-applying the manifests must not reset it.
        replicas: spec.profile.autoscaling ? undefined : spec.profile.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selectorLabels(spec.name) },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: {
            maxUnavailable: k8s.IntOrString.fromNumber(0),
            maxSurge: k8s.IntOrString.fromString('25%'),
          },
        },
        template: {
          metadata: {
            labels: labels(spec.name, 'api'),
            annotations: {
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': String(CONTAINER_PORT),
              'prometheus.io/path': '/metrics',
            },
          },
          spec: podSpec(spec, options, db),
        },
      },
    });

    new k8s.KubeService(this, 'service', {
      metadata: meta(),
      spec: {
        type: spec.nodePort ? 'NodePort' : 'ClusterIP',
        selector: selectorLabels(spec.name),
        ports: [
          {
            name: 'http',
            port: CONTAINER_PORT,
            targetPort: k8s.IntOrString.fromString('http'),
            protocol: 'TCP',
            ...(spec.nodePort ? { nodePort: spec.nodePort } : {}),
          },
        ],
      },
    });

    if (spec.profile.autoscaling) {
      new k8s.KubeHorizontalPodAutoscalerV2(this, 'hpa', {
        metadata: meta(),
        spec: hpaSpec(spec.name, spec.profile.autoscaling, options.cpuRequestPercent),
      });
    }

    if (spec.profile.replicas > 1) {
      new k8s.KubePodDisruptionBudget(this, 'pdb', {
        metadata: meta(),
        spec: {
          maxUnavailable: k8s.IntOrString.fromNumber(1),
          selector: { matchLabels: selectorLabels(spec.name) },
          // An unready pod is evicted rather than blocking a node drain (it serves nothing anyway).
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });
    }

    if (options.serviceMonitor.enabled) {
      new ApiObject(this, 'service-monitor', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: meta(),
        spec: {
          selector: { matchLabels: selectorLabels(spec.name) },
          endpoints: [{ port: 'http', path: '/metrics', interval: '15s' }],
        },
      });
    }
  }
}

function configData(spec: ServiceSpec, options: PlatformOptions): Record<string, string> {
  const data: Record<string, string> = {
    SERVICE_NAME: spec.name,
    PORT: String(CONTAINER_PORT),
    LOG_LEVEL: 'info',
    SHUTDOWN_DRAIN_SECONDS: String(SHUTDOWN_DRAIN_SECONDS),
    SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_TIMEOUT_SECONDS),
  };
  if (spec.database) data.DB_POOL_MAX = String(dbPoolMax(spec));
  for (const callee of spec.calls)
    data[urlVariable(callee)] = `http://${callee}.${options.namespace}.svc:${CONTAINER_PORT}`;
  if (spec.sendsMail && options.mailCatcher.enabled) data.SMTP_URL = mailCatcherSmtpUrl(options);
  // Written when off too, so a change of the services' default cannot seed production.
  if (spec.seedsDemoData) data.SEED_DEMO_DATA = String(options.demoData.enabled);
  const shared: Record<SharedSetting, () => string> = {
    PUBLIC_URL: () => requirePublicUrl(options),
    SUPPORT_EMAIL: () => options.supportEmail,
  };
  for (const name of spec.sharedSettings ?? []) data[name] = shared[name]();
  Object.assign(data, spec.settings);
  if (options.otlpEndpoint) data.OTEL_EXPORTER_OTLP_ENDPOINT = options.otlpEndpoint;
  return data;
}

function secretEnv(name: string, secret: string, key: string): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

function env(
  spec: ServiceSpec,
  options: PlatformOptions,
  db: DatabaseEndpoints | undefined,
): k8s.EnvVar[] {
  const vars: k8s.EnvVar[] = [];
  if (spec.internalToken)
    vars.push(secretEnv('INTERNAL_TOKEN', options.secretName, 'internal-token'));
  if (spec.verifiesTokens)
    vars.push(secretEnv('JWT_PUBLIC_KEY', options.secretName, 'jwt-public-key'));
  if (spec.signsTokens)
    vars.push(secretEnv('JWT_PRIVATE_KEY', options.secretName, 'jwt-private-key'));
  if (spec.signsPaymentLinks)
    vars.push(secretEnv('PAYMENT_LINK_SECRET', options.secretName, 'payment-link-secret'));
  // A real relay's URL carries its credentials: Secret, not ConfigMap.
  if (spec.sendsMail && !options.mailCatcher.enabled)
    vars.push(secretEnv('SMTP_URL', options.secretName, 'smtp-url'));
  if (spec.redis) {
    // As for the database below: Kubernetes expands $(REDIS_PASSWORD) in REDIS_URL, declared after it.
    vars.push(secretEnv('REDIS_PASSWORD', options.secretName, REDIS_PASSWORD_KEY));
    vars.push({ name: 'REDIS_URL', value: redisUrl(spec.redis, options) });
  }
  if (db) {
    // The password comes from a Secret; Kubernetes expands $(DB_PASSWORD) in the variables declared after it.
    vars.push(secretEnv('DB_PASSWORD', db.passwordSecret, db.passwordKey));
    vars.push({ name: 'DATABASE_URL', value: db.url('rw') });
    if (spec.readsFromReplicas) vars.push({ name: 'DATABASE_READ_URL', value: db.url('ro') });
  }
  return vars;
}

function podSpec(
  spec: ServiceSpec,
  options: PlatformOptions,
  db: DatabaseEndpoints | undefined,
): k8s.PodSpec {
  const httpGet = (path: string) => ({ path, port: k8s.IntOrString.fromString('http') });
  const q = (value: string) => k8s.Quantity.fromString(value);
  return {
    serviceAccountName: spec.name,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: RUN_AS_USER,
      runAsGroup: RUN_AS_USER,
      fsGroup: RUN_AS_USER,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: selectorLabels(spec.name) },
      },
    ],
    containers: [
      {
        name: spec.name,
        image: imageFor(options, spec.name),
        imagePullPolicy: options.image.pullPolicy,
        ports: [{ name: 'http', containerPort: CONTAINER_PORT, protocol: 'TCP' }],
        envFrom: [{ configMapRef: { name: `${spec.name}-config` } }],
        env: env(spec, options, db),
        resources: resourceRequirements(spec.resources, options.cpuRequestPercent),
        // Patient with a busy node (probes.ts says why).
        startupProbe: { httpGet: httpGet('/livez'), ...STARTUP },
        readinessProbe: { httpGet: httpGet('/readyz'), ...READINESS },
        livenessProbe: { httpGet: httpGet('/livez'), ...LIVENESS },
        lifecycle: { preStop: { sleep: { seconds: PRESTOP_SLEEP_SECONDS } } },
        securityContext: restrictedSecurityContext(RUN_AS_USER),
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: q('64Mi') } }],
  };
}

function rules(r: ScalingRules): k8s.HpaScalingRulesV2 {
  return {
    stabilizationWindowSeconds: r.stabilizationWindowSeconds,
    policies: r.policies.map((p) => ({
      type: p.type,
      value: p.value,
      periodSeconds: p.periodSeconds,
    })),
  };
}

function hpaSpec(
  name: string,
  a: Autoscaling,
  cpuRequestPercent: number,
): k8s.HorizontalPodAutoscalerSpecV2 {
  const utilization = (
    resource: 'cpu' | 'memory',
    averageUtilization: number,
  ): k8s.MetricSpecV2 => ({
    type: 'Resource',
    resource: { name: resource, target: { type: 'Utilization', averageUtilization } },
  });
  return {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
    minReplicas: a.minReplicas,
    maxReplicas: a.maxReplicas,
    metrics: [
      utilization('cpu', scaledUtilization(a.cpuUtilization, cpuRequestPercent)),
      ...(a.memoryUtilization === undefined ? [] : [utilization('memory', a.memoryUtilization)]),
    ],
    ...(a.behavior
      ? { behavior: { scaleUp: rules(a.behavior.scaleUp), scaleDown: rules(a.behavior.scaleDown) } }
      : {}),
  };
}
