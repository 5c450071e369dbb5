export type PullPolicy = 'IfNotPresent' | 'Always' | 'Never';

/**
 * Platform-wide settings. Every field has a Helm value of the same meaning (charts/tourkit/values.yaml);
 * the defaults here equal the chart's defaults, which the equivalence test checks.
 */
export interface PlatformOptions {
  readonly namespace: string;
  readonly image: {
    /** Prefix before `tourkit/<svc>`; empty for images loaded into kind. */
    readonly registry: string;
    readonly tag: string;
    readonly pullPolicy: PullPolicy;
  };
  /** Secret holding internal-token, jwt-public-key, jwt-private-key, payment-link-secret, postgres-password (created by `make up`). */
  readonly secretName: string;
  /** Namespace of Prometheus and Grafana: allowed to scrape the services. */
  readonly monitoringNamespace: string;
  readonly cloudnativepg: { readonly enabled: boolean };
  readonly serviceMonitor: { readonly enabled: boolean };
  readonly prometheusRules: { readonly enabled: boolean };
  readonly networkPolicies: { readonly enabled: boolean };
  /** The ScalingSchedule operator (operator/) and the booking schedule. */
  readonly operator: {
    readonly enabled: boolean;
    readonly image: string;
    readonly replicas: number;
    /**
     * Namespaces the controller watches (WATCH_NAMESPACE): a Role and RoleBinding in each instead of
     * the ClusterRole. Empty: the whole cluster.
     */
    readonly watchNamespaces: readonly string[];
  };
  readonly postgres: {
    readonly image: string;
    readonly pullPolicy: PullPolicy;
    /**
     * How the pods of one database (primary, standby, read replicas) keep off each other's node:
     * `required` (a drain or a lost node takes at most one of them; production) or `preferred` (they
     * spread where they can, so a one-node development cluster still schedules them all).
     */
    readonly antiAffinity: 'required' | 'preferred';
  };
  readonly redis: { readonly image: string; readonly pullPolicy: PullPolicy };
  /** OTLP/HTTP endpoint for traces; unset means no export. */
  readonly otlpEndpoint: string;
  /**
   * Prometheus, Alertmanager and Jaeger as pods of the platform's namespace (./observability/stack.ts),
   * for a cluster without kube-prometheus-stack (the local real node: hack/node/platform-up.sh turns it
   * on). Prometheus discovers the namespace's pods (a Role, not a ClusterRole) and loads the same rule
   * groups as the PrometheusRule; Alertmanager e-mails support through the mail catcher, so it needs
   * `mailCatcher.enabled`; the services send traces to Jaeger when `otlpEndpoint` names it
   * (`http://jaeger.<namespace>.svc:4318`). Each UI on a NodePort.
   */
  readonly observabilityStack: {
    readonly enabled: boolean;
    readonly pullPolicy: PullPolicy;
    readonly prometheusImage: string;
    readonly prometheusNodePort: number;
    readonly alertmanagerImage: string;
    readonly alertmanagerNodePort: number;
    readonly jaegerImage: string;
    readonly jaegerNodePort: number;
  };
  /**
   * Where users open the web app: base of the payment links booking e-mails (PUBLIC_URL,
   * `<url>/pay/<id>?t=`). No default fits production (a wrong one e-mails travellers dead links), so
   * the production value is empty and rendering refuses it (`requirePublicUrl`); the development
   * values say http://localhost:8087 (kind maps the web app's NodePort 30087 there).
   */
  readonly publicUrl: string;
  /** Recipient of support alerts (SUPPORT_EMAIL of booking and notification). */
  readonly supportEmail: string;
  /**
   * Mailpit, catching every e-mail notification sends, with its web inbox on a NodePort (kind maps it to
   * http://localhost:8025). Off: SMTP_URL comes from the Secret's `smtp-url` key (a real relay).
   */
  readonly mailCatcher: {
    readonly enabled: boolean;
    readonly image: string;
    readonly pullPolicy: PullPolicy;
    readonly nodePort: number;
  };
  /**
   * SEED_DEMO_DATA of the services that seed (catalog: demo tours; booking: demo promo codes), so that a
   * fresh kind cluster shows a catalog. Off in production (the default); the development values turn it on.
   */
  readonly demoData: { readonly enabled: boolean };
  /**
   * The CPU requests of the services and data stores, in percent of the written ones (limits stay):
   * 100 on kind and in production; a small node (the local real node, 2 CPUs) takes 25, so the
   * platform's about 3 CPUs of requests fit. The HPAs' CPU targets scale the other way (280 % of a
   * 25m request is 70 % of 100m), so pods scale at the millicores the profiles say.
   */
  readonly cpuRequestPercent: number;
  /**
   * The in-cluster load generator (off by default): a k6 Job driving the traveller's journey through
   * the web app at `rate` journeys a second for `duration` (`10m`), with `users` signed-in travellers,
   * `bookRatio` of the journeys booking (and cancelling). Its own namespace's web app only.
   */
  readonly loadGenerator: {
    readonly enabled: boolean;
    readonly image: string;
    readonly pullPolicy: PullPolicy;
    readonly rate: number;
    readonly duration: string;
    readonly users: number;
    readonly bookRatio: number;
  };
}

export const DEFAULT_OPTIONS: PlatformOptions = {
  namespace: 'tourkit',
  // Production pulls from a registry, by a tag that no build reuses (the release's version); replace the
  // registry with yours (`make images REGISTRY=...`). values-development.yaml uses local `:dev` images.
  image: { registry: 'registry.example.com', tag: '0.1.0', pullPolicy: 'IfNotPresent' },
  secretName: 'tourkit-secrets',
  monitoringNamespace: 'monitoring',
  cloudnativepg: { enabled: false },
  serviceMonitor: { enabled: true },
  prometheusRules: { enabled: true },
  networkPolicies: { enabled: true },
  operator: {
    enabled: true,
    image: 'registry.example.com/tourkit/scaling-schedule:0.1.0',
    replicas: 1,
    watchNamespaces: [],
  },
  // Fully qualified: a cluster whose runtime has another default registry still pulls the same image.
  postgres: {
    image: 'docker.io/library/postgres:17.6',
    pullPolicy: 'IfNotPresent',
    antiAffinity: 'required',
  },
  redis: { image: 'docker.io/library/redis:7.4-alpine', pullPolicy: 'IfNotPresent' },
  otlpEndpoint: '',
  // Off: kind and production clusters run kube-prometheus-stack, which reads the ServiceMonitors and
  // the PrometheusRule instead. The images are upstream's (Prometheus 3.16 is module v0.316.0, the
  // version hack/tools pins; Jaeger v2.12.0 is the release of module v1.75.0).
  observabilityStack: {
    enabled: false,
    pullPolicy: 'IfNotPresent',
    prometheusImage: 'quay.io/prometheus/prometheus:v3.16.0',
    prometheusNodePort: 30090,
    alertmanagerImage: 'quay.io/prometheus/alertmanager:v0.35.0',
    alertmanagerNodePort: 30093,
    jaegerImage: 'docker.io/jaegertracing/jaeger:2.12.0',
    jaegerNodePort: 30686,
  },
  // Required: the production install names where its users reach it (see requirePublicUrl).
  publicUrl: '',
  supportEmail: 'support@tourkit.local',
  // Production sends through a real relay (the Secret's smtp-url): Mailpit would swallow every e-mail
  // and its inbox (NodePort) would show them to anyone who reaches a node.
  mailCatcher: {
    enabled: false,
    image: 'docker.io/axllent/mailpit:v1.29',
    pullPolicy: 'IfNotPresent',
    nodePort: 30825,
  },
  // No demo tours or demo promo codes (SUMMER2025 would be a real discount) in production.
  demoData: { enabled: false },
  cpuRequestPercent: 100,
  loadGenerator: {
    enabled: false,
    image: 'docker.io/grafana/k6:1.8.1',
    pullPolicy: 'IfNotPresent',
    rate: 5,
    duration: '10m',
    users: 20,
    bookRatio: 0.2,
  },
};

/**
 * What a development cluster (kind, the local real node) changes from the defaults; the chart's
 * values-development.yaml says the same, which the equivalence test checks. `make synth` and `make up`
 * use it (VALUES=development); VALUES=production keeps the defaults.
 */
export const DEVELOPMENT_OVERRIDES: PartialOptions = {
  image: { registry: '', tag: 'dev' },
  operator: { image: 'tourkit/scaling-schedule:dev' },
  postgres: { antiAffinity: 'preferred' },
  // kind maps the web app's NodePort to localhost:8087 (payment links open its /pay page) and Mailpit's inbox to localhost:8025.
  publicUrl: 'http://localhost:8087',
  mailCatcher: { enabled: true },
  demoData: { enabled: true },
};

/**
 * The public URL, or an error that says how to give it: an empty one (the production default) must not
 * render into booking's PUBLIC_URL. The chart's configmap.yaml `required` says the same.
 */
export function requirePublicUrl(options: Pick<PlatformOptions, 'publicUrl'>): string {
  if (options.publicUrl === '')
    throw new Error(
      'publicUrl is required: where users reach the gateway, the base of the payment links booking ' +
        'e-mails (make synth PUBLIC_URL=https://tours.example.com, or VALUES=development for http://localhost:8087)',
    );
  return options.publicUrl;
}

/** Named sets of values: `TOURKIT_VALUES` (the Makefile's VALUES) picks one. */
export const VALUE_SETS = {
  production: {},
  development: DEVELOPMENT_OVERRIDES,
} as const satisfies Record<string, PartialOptions>;

export type PartialOptions = {
  readonly [K in keyof PlatformOptions]?: Partial<PlatformOptions[K]> | PlatformOptions[K];
};

/** DEFAULT_OPTIONS with some fields replaced, one level deep. */
export function resolveOptions(
  overrides: PartialOptions = {},
  base: PlatformOptions = DEFAULT_OPTIONS,
): PlatformOptions {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = (base as unknown as Record<string, unknown>)[key];
    merged[key] =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? { ...(current as object), ...value }
        : value;
  }
  return merged as unknown as PlatformOptions;
}

export function imageFor(options: PlatformOptions, service: string): string {
  const prefix = options.image.registry ? `${options.image.registry.replace(/\/$/, '')}/` : '';
  return `${prefix}tourkit/${service}:${options.image.tag}`;
}

const BOOLEAN = { true: true, '1': true, yes: true, false: false, '0': false, no: false } as const;

function booleanVariable(
  env: Record<string, string | undefined>,
  name: string,
): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = BOOLEAN[raw.toLowerCase() as keyof typeof BOOLEAN];
  if (value === undefined) throw new Error(`${name}: expected true/false/1/0/yes/no, got "${raw}"`);
  return value;
}

const PULL_POLICIES: readonly PlatformOptions['image']['pullPolicy'][] = [
  'IfNotPresent',
  'Always',
  'Never',
];

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A comma-separated list of namespace names; unset or empty: []. */
function namespaceListVariable(env: Record<string, string | undefined>, name: string): string[] {
  const names = (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  for (const item of names)
    if (!NAMESPACE_NAME.test(item))
      throw new Error(`${name}: "${item}" is not a valid namespace name`);
  return [...new Set(names)];
}

/**
 * `make synth` settings: TOURKIT_NAMESPACE, TOURKIT_IMAGE_REGISTRY, TOURKIT_IMAGE_TAG, TOURKIT_CNPG,
 * TOURKIT_SERVICE_MONITOR, TOURKIT_OPERATOR, TOURKIT_OPERATOR_IMAGE,
 * TOURKIT_OPERATOR_WATCH_NAMESPACES (comma-separated), TOURKIT_MAIL_CATCHER, TOURKIT_PUBLIC_URL,
 * TOURKIT_DEMO_DATA, and the images a cluster without a registry builds itself (hack/node/platform-up.sh):
 * TOURKIT_IMAGE_PULL_POLICY (every image's), TOURKIT_POSTGRES_IMAGE, TOURKIT_REDIS_IMAGE,
 * TOURKIT_MAIL_CATCHER_IMAGE; TOURKIT_LOAD_GENERATOR (the k6 Job); TOURKIT_OBSERVABILITY_STACK (Prometheus,
 * Alertmanager and Jaeger as pods) with TOURKIT_PROMETHEUS_IMAGE, TOURKIT_ALERTMANAGER_IMAGE,
 * TOURKIT_JAEGER_IMAGE; TOURKIT_OTLP_ENDPOINT; unset or empty keeps the default. TOURKIT_VALUES (production or
 * development) picks the set of values the others apply to.
 */
export function optionsFromEnvironment(env: Record<string, string | undefined>): PlatformOptions {
  const valueSet = env.TOURKIT_VALUES || 'production';
  if (!Object.hasOwn(VALUE_SETS, valueSet))
    throw new Error(
      `TOURKIT_VALUES: "${valueSet}" is not one of ${Object.keys(VALUE_SETS).join(', ')}`,
    );
  const base = resolveOptions(VALUE_SETS[valueSet as keyof typeof VALUE_SETS]);
  const namespace = env.TOURKIT_NAMESPACE || base.namespace;
  if (!NAMESPACE_NAME.test(namespace))
    throw new Error(`TOURKIT_NAMESPACE: "${namespace}" is not a valid namespace name`);
  const cnpg = booleanVariable(env, 'TOURKIT_CNPG');
  const monitors = booleanVariable(env, 'TOURKIT_SERVICE_MONITOR');
  const operator = booleanVariable(env, 'TOURKIT_OPERATOR');
  const mailCatcher = booleanVariable(env, 'TOURKIT_MAIL_CATCHER');
  const demoData = booleanVariable(env, 'TOURKIT_DEMO_DATA');
  const loadGenerator = booleanVariable(env, 'TOURKIT_LOAD_GENERATOR');
  const stack = booleanVariable(env, 'TOURKIT_OBSERVABILITY_STACK');
  const otlpEndpoint = env.TOURKIT_OTLP_ENDPOINT || base.otlpEndpoint;
  // OTLP/HTTP: the kit appends /v1/traces; `jaeger:4318` would parse as a URL of scheme "jaeger:".
  if (otlpEndpoint !== '' && !/^https?:\/\/[^/]/.test(otlpEndpoint))
    throw new Error(`TOURKIT_OTLP_ENDPOINT: "${otlpEndpoint}" is not an http:// or https:// URL`);
  const cpuRequestPercent = Number(env.TOURKIT_CPU_REQUEST_PERCENT || base.cpuRequestPercent);
  if (!Number.isInteger(cpuRequestPercent) || cpuRequestPercent < 1 || cpuRequestPercent > 100)
    throw new Error(
      `TOURKIT_CPU_REQUEST_PERCENT: expected a whole number from 1 to 100, got "${env.TOURKIT_CPU_REQUEST_PERCENT}"`,
    );
  const publicUrl = env.TOURKIT_PUBLIC_URL || base.publicUrl;
  // Empty (production without TOURKIT_PUBLIC_URL) is refused when it renders: requirePublicUrl.
  if (publicUrl !== '' && !URL.canParse(publicUrl))
    throw new Error(`TOURKIT_PUBLIC_URL: "${publicUrl}" is not a URL`);
  const pullPolicy = env.TOURKIT_IMAGE_PULL_POLICY || base.image.pullPolicy;
  if (!PULL_POLICIES.includes(pullPolicy as PullPolicy))
    throw new Error(
      `TOURKIT_IMAGE_PULL_POLICY: expected ${PULL_POLICIES.join('/')}, got "${pullPolicy}"`,
    );
  const everyImage = env.TOURKIT_IMAGE_PULL_POLICY ? { pullPolicy: pullPolicy as PullPolicy } : {};
  return resolveOptions(
    {
      namespace,
      image: {
        registry: env.TOURKIT_IMAGE_REGISTRY ?? base.image.registry,
        tag: env.TOURKIT_IMAGE_TAG || base.image.tag,
        pullPolicy: pullPolicy as PullPolicy,
      },
      publicUrl,
      otlpEndpoint,
      cpuRequestPercent,
      postgres: { image: env.TOURKIT_POSTGRES_IMAGE || base.postgres.image, ...everyImage },
      redis: { image: env.TOURKIT_REDIS_IMAGE || base.redis.image, ...everyImage },
      mailCatcher: {
        ...(mailCatcher === undefined ? {} : { enabled: mailCatcher }),
        image: env.TOURKIT_MAIL_CATCHER_IMAGE || base.mailCatcher.image,
        ...everyImage,
      },
      observabilityStack: {
        ...(stack === undefined ? {} : { enabled: stack }),
        prometheusImage: env.TOURKIT_PROMETHEUS_IMAGE || base.observabilityStack.prometheusImage,
        alertmanagerImage:
          env.TOURKIT_ALERTMANAGER_IMAGE || base.observabilityStack.alertmanagerImage,
        jaegerImage: env.TOURKIT_JAEGER_IMAGE || base.observabilityStack.jaegerImage,
        ...everyImage,
      },
      ...(cnpg === undefined ? {} : { cloudnativepg: { enabled: cnpg } }),
      ...(demoData === undefined ? {} : { demoData: { enabled: demoData } }),
      ...(loadGenerator === undefined ? {} : { loadGenerator: { enabled: loadGenerator } }),
      ...(monitors === undefined
        ? {}
        : { serviceMonitor: { enabled: monitors }, prometheusRules: { enabled: monitors } }),
      operator: {
        enabled: operator ?? base.operator.enabled,
        image: env.TOURKIT_OPERATOR_IMAGE || base.operator.image,
        watchNamespaces: namespaceListVariable(env, 'TOURKIT_OPERATOR_WATCH_NAMESPACES'),
      },
    },
    base,
  );
}
