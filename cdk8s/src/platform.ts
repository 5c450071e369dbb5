import { Chart, type App } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { LoadGenerator } from './constructs/load-generator.js';
import { MailCatcher } from './constructs/mail-catcher.js';
import { CnpgPostgres, PlainPostgres } from './constructs/postgres.js';
import { NetworkPolicies } from './constructs/network-policies.js';
import { Redis, redisName } from './constructs/redis.js';
import { TourkitService } from './constructs/tourkit-service.js';
import { Observability } from './observability/observability.js';
import { ObservabilityStack } from './observability/stack.js';
import { CrdChart, HpaInitialChart, OperatorChart, scheduledHpaNames } from './operator.js';
import type { PlatformOptions } from './options.js';
import { REDIS_ROLES, SERVICES, type ServiceSpec } from './services.js';

/** The namespace, apart so that `helm install --create-namespace` and the platform chart stay equal. */
export class NamespaceChart extends Chart {
  constructor(scope: App, id: string, options: PlatformOptions) {
    super(scope, id);
    new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: options.namespace,
        // Every Tourkit pod satisfies the "restricted" Pod Security Standard; the API server enforces it.
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
  }
}

/**
 * Everything `helm template charts/tourkit` renders: services, data stores, mail catcher, policies,
 * observability (and, when enabled, Prometheus, Alertmanager and Jaeger as pods).
 */
export class PlatformChart extends Chart {
  constructor(
    scope: App,
    id: string,
    options: PlatformOptions,
    services: readonly ServiceSpec[] = SERVICES,
  ) {
    super(scope, id, { disableResourceNameHashes: true });
    for (const role of REDIS_ROLES) new Redis(this, redisName(role), { options, role });
    if (options.mailCatcher.enabled) new MailCatcher(this, 'mail-catcher', { options });
    if (options.loadGenerator.enabled) new LoadGenerator(this, 'load-generator', { options });
    for (const spec of services) {
      new TourkitService(this, spec.name, { spec, options });
      if (spec.database) {
        const Postgres = options.cloudnativepg.enabled ? CnpgPostgres : PlainPostgres;
        new Postgres(this, `${spec.name}-db`, {
          service: spec.name,
          database: spec.database,
          options,
        });
      }
    }
    if (options.networkPolicies.enabled)
      new NetworkPolicies(this, 'network-policies', { services, options });
    new Observability(this, 'observability', { services, options });
    if (options.observabilityStack.enabled)
      new ObservabilityStack(this, 'observability-stack', { services, options });
  }
}

/**
 * One file per chart, applied in this order by `make deploy`: namespace, CRDs, initial HPAs (created
 * when absent), platform, operator.
 * The operator's charts exist only when `options.operator.enabled`.
 */
export function buildPlatform(
  app: App,
  options: PlatformOptions,
  services: readonly ServiceSpec[] = SERVICES,
) {
  const platform = new PlatformChart(app, 'tourkit', options, services);
  return {
    namespace: new NamespaceChart(app, 'tourkit-namespace', options),
    crds: options.operator.enabled ? new CrdChart(app, 'tourkit-crds') : undefined,
    platform,
    // Before the platform: the HPAs a schedule manages are created whole once, then applied without bounds.
    hpaInitial: options.operator.enabled
      ? new HpaInitialChart(app, 'tourkit-hpa-initial', platform, scheduledHpaNames(options))
      : undefined,
    operator: options.operator.enabled
      ? new OperatorChart(app, 'tourkit-operator', options)
      : undefined,
  };
}
