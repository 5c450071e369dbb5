import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { MAIL_CATCHER, MAIL_CATCHER_SMTP_PORT } from '../constructs/mail-catcher.js';
import { LIVENESS, READINESS } from '../constructs/probes.js';
import { resourceRequirements } from '../constructs/resources.js';
import { restrictedSecurityContext } from '../constructs/security-context.js';
import { labels, selectorLabels } from '../labels.js';
import type { PlatformOptions } from '../options.js';
import type { Resources, ServiceSpec } from '../services.js';
import { CHART_PLACEHOLDERS, ruleGroups, type RuleParameters } from './alerts.js';
import { alertmanagerSettings, clusterPrometheusSettings, jaegerSettings } from './stack-config.js';

export const PROMETHEUS = 'prometheus';
export const ALERTMANAGER = 'alertmanager';
export const JAEGER = 'jaeger';
export const PROMETHEUS_PORT = 9090;
export const ALERTMANAGER_PORT = 9093;
export const JAEGER_QUERY_PORT = 16686;
export const JAEGER_OTLP_HTTP_PORT = 4318;
/** The images are FROM scratch with no user of their own: nobody's uid. */
const STACK_UID = 65534;

/** Where the in-cluster Jaeger takes traces: the `otlpEndpoint` that sends the services' traces there. */
export function jaegerOtlpEndpoint(namespace: string): string {
  return `http://${JAEGER}.${namespace}.svc:${JAEGER_OTLP_HTTP_PORT}`;
}

/** The files of the stack's ConfigMaps. JSON is YAML, which each of the three reads. */
export const STACK_FILES = {
  prometheus: 'prometheus.json',
  rules: 'rules.json',
  alertmanager: 'alertmanager.json',
  jaeger: 'jaeger.json',
} as const;

const CONFIG_DIR = {
  prometheus: '/etc/prometheus',
  alertmanager: '/etc/alertmanager',
  jaeger: '/etc/jaeger',
};

/** The contents of the stack's files, as objects: the construct renders them, the chart's copy too. */
export interface StackFileParameters {
  readonly namespace: string;
  readonly supportEmail: string;
  readonly services: readonly string[];
  readonly thresholds?: RuleParameters;
}

export function stackFiles(p: StackFileParameters) {
  return {
    prometheus: clusterPrometheusSettings({
      namespace: p.namespace,
      ruleFile: `${CONFIG_DIR.prometheus}/${STACK_FILES.rules}`,
      alertmanager: `${ALERTMANAGER}.${p.namespace}.svc:${ALERTMANAGER_PORT}`,
      interval: '15s',
    }),
    rules: { groups: ruleGroups(p.namespace, p.services, p.thresholds) },
    alertmanager: alertmanagerSettings({
      smarthost: `${MAIL_CATCHER}.${p.namespace}.svc:${MAIL_CATCHER_SMTP_PORT}`,
      from: `alertmanager@${p.namespace}.tourkit.local`,
      to: p.supportEmail,
      // A development cluster's pace: a change to a group (a resolved alert) is mailed within a minute.
      groupWait: '30s',
      groupInterval: '1m',
    }),
    jaeger: jaegerSettings({
      query: `0.0.0.0:${JAEGER_QUERY_PORT}`,
      // Nothing in the cluster uses the gRPC query API: loopback only.
      queryGrpc: '127.0.0.1:16685',
      otlpHttp: `0.0.0.0:${JAEGER_OTLP_HTTP_PORT}`,
      maxTraces: 20_000,
    }),
  };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Placeholders of the chart's copy of the stack's files (charts/tourkit/files/observability/). */
export const STACK_CHART_PLACEHOLDERS = {
  namespace: CHART_PLACEHOLDERS.namespace,
  supportEmail: '__SUPPORT_EMAIL__',
} as const;

/**
 * The chart's copy of Prometheus', Alertmanager's and Jaeger's files, by file name, with placeholders
 * that templates/observability-stack.yaml replaces; the rules are files/prometheus-rules.json.
 */
export function chartStackFiles(services: readonly ServiceSpec[]): Record<string, string> {
  const files = stackFiles({
    namespace: STACK_CHART_PLACEHOLDERS.namespace,
    supportEmail: STACK_CHART_PLACEHOLDERS.supportEmail,
    services: services.map((s) => s.name),
  });
  return {
    [STACK_FILES.prometheus]: json(files.prometheus),
    [STACK_FILES.alertmanager]: json(files.alertmanager),
    [STACK_FILES.jaeger]: json(files.jaeger),
  };
}

/**
 * An error naming the option when the stack cannot run as configured: Alertmanager's only receiver is
 * the mail catcher (a real relay's address and credentials are in the Secret, which Alertmanager's
 * configuration file cannot read). The chart's template fails with the same message.
 */
export function checkStackOptions(options: PlatformOptions): void {
  if (options.observabilityStack.enabled && !options.mailCatcher.enabled)
    throw new Error(
      'observabilityStack.enabled needs mailCatcher.enabled: Alertmanager e-mails its alerts to the mail catcher',
    );
}

interface Workload {
  readonly name: string;
  readonly image: string;
  readonly args: string[];
  readonly ports: Array<{ name: string; port: number }>;
  readonly probes: { readiness: string; liveness: string; port: string };
  readonly resources: Resources;
  /** Writable directories (emptyDir), by mount path, with their size limit. */
  readonly volumes: Array<{ name: string; path: string; sizeLimit: string }>;
  readonly serviceAccount: boolean;
}

/**
 * Prometheus and Alertmanager come from one project and serve alike: one `web` port that also
 * answers the /-/ready and /-/healthy probes.
 */
const prometheusProjectWeb = (port: number): Pick<Workload, 'ports' | 'probes'> => ({
  ports: [{ name: 'web', port }],
  probes: { readiness: '/-/ready', liveness: '/-/healthy', port: 'web' },
});

/**
 * Prometheus, Alertmanager and Jaeger as pods of the platform's namespace, for a cluster without
 * kube-prometheus-stack (options.observabilityStack). Prometheus discovers the namespace's pods with a
 * Role (not a ClusterRole) and evaluates the same rule groups as the PrometheusRule; Alertmanager
 * e-mails support through the mail catcher; Jaeger keeps traces in memory. One pod each (Recreate:
 * two would split the data), each UI on a NodePort; Jaeger's OTLP port on a ClusterIP Service.
 */
export class ObservabilityStack extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: { readonly services: readonly ServiceSpec[]; readonly options: PlatformOptions },
  ) {
    super(scope, id);
    const { services, options } = props;
    checkStackOptions(options);
    const ns = options.namespace;
    const stack = options.observabilityStack;
    const files = stackFiles({
      namespace: ns,
      supportEmail: options.supportEmail,
      services: services.map((s) => s.name),
    });
    const meta = (app: string, name = app) => ({
      name,
      namespace: ns,
      labels: labels(app, 'observability'),
    });
    const configMap = (app: string, data: Record<string, string>) =>
      new k8s.KubeConfigMap(this, `${app}-config`, { metadata: meta(app), data });

    // Prometheus reads pods (kubernetes_sd, role pod) in this namespace only.
    new k8s.KubeServiceAccount(this, 'prometheus-account', { metadata: meta(PROMETHEUS) });
    new k8s.KubeRole(this, 'prometheus-role', {
      metadata: meta(PROMETHEUS),
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
    });
    new k8s.KubeRoleBinding(this, 'prometheus-binding', {
      metadata: meta(PROMETHEUS),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: PROMETHEUS },
      subjects: [{ kind: 'ServiceAccount', name: PROMETHEUS, namespace: ns }],
    });
    configMap(PROMETHEUS, {
      [STACK_FILES.prometheus]: json(files.prometheus),
      [STACK_FILES.rules]: json(files.rules),
    });
    configMap(ALERTMANAGER, { [STACK_FILES.alertmanager]: json(files.alertmanager) });
    configMap(JAEGER, { [STACK_FILES.jaeger]: json(files.jaeger) });

    const workloads: Workload[] = [
      {
        name: PROMETHEUS,
        image: stack.prometheusImage,
        args: [
          `--config.file=${CONFIG_DIR.prometheus}/${STACK_FILES.prometheus}`,
          '--storage.tsdb.path=/prometheus',
          // Within the emptyDir's limit below.
          '--storage.tsdb.retention.time=2d',
          '--storage.tsdb.retention.size=768MB',
          `--web.listen-address=:${PROMETHEUS_PORT}`,
          // A changed ConfigMap (rules included: the checksum covers rule_files) is reloaded within
          // 30 s of the kubelet updating the mounted files; no restart needed.
          '--config.auto-reload',
        ],
        ...prometheusProjectWeb(PROMETHEUS_PORT),
        resources: {
          requests: { cpu: '50m', memory: '256Mi', ephemeralStorage: '256Mi' },
          limits: { cpu: '1', memory: '1Gi', ephemeralStorage: '1280Mi' },
        },
        volumes: [{ name: 'data', path: '/prometheus', sizeLimit: '1Gi' }],
        serviceAccount: true,
      },
      {
        name: ALERTMANAGER,
        image: stack.alertmanagerImage,
        args: [
          `--config.file=${CONFIG_DIR.alertmanager}/${STACK_FILES.alertmanager}`,
          '--storage.path=/alertmanager',
          `--web.listen-address=:${ALERTMANAGER_PORT}`,
          // One instance: no gossip port to open.
          '--cluster.listen-address=',
        ],
        ...prometheusProjectWeb(ALERTMANAGER_PORT),
        resources: {
          requests: { cpu: '10m', memory: '32Mi', ephemeralStorage: '16Mi' },
          limits: { cpu: '200m', memory: '128Mi', ephemeralStorage: '128Mi' },
        },
        volumes: [{ name: 'data', path: '/alertmanager', sizeLimit: '64Mi' }],
        serviceAccount: false,
      },
      {
        name: JAEGER,
        image: stack.jaegerImage,
        args: [`--config=${CONFIG_DIR.jaeger}/${STACK_FILES.jaeger}`],
        ports: [
          { name: 'query', port: JAEGER_QUERY_PORT },
          { name: 'otlp-http', port: JAEGER_OTLP_HTTP_PORT },
        ],
        // Jaeger v2 answers its query API once storage and receivers are up; it has no /-/ready.
        probes: { readiness: '/api/services', liveness: '/api/services', port: 'query' },
        // Traces in memory: maxTraces above bounds them.
        resources: {
          requests: { cpu: '20m', memory: '128Mi', ephemeralStorage: '16Mi' },
          limits: { cpu: '500m', memory: '512Mi', ephemeralStorage: '64Mi' },
        },
        volumes: [{ name: 'tmp', path: '/tmp', sizeLimit: '32Mi' }],
        serviceAccount: false,
      },
    ];
    for (const w of workloads) this.workload(w, options, meta(w.name));

    const nodePortService = (app: string, name: string, port: number, nodePort: number) =>
      new k8s.KubeService(this, `${name}-service`, {
        metadata: meta(app, name),
        spec: {
          type: 'NodePort',
          selector: selectorLabels(app),
          ports: [
            {
              name: 'web',
              port,
              targetPort: k8s.IntOrString.fromString(app === JAEGER ? 'query' : 'web'),
              protocol: 'TCP',
              nodePort,
            },
          ],
        },
      });
    nodePortService(PROMETHEUS, PROMETHEUS, PROMETHEUS_PORT, stack.prometheusNodePort);
    nodePortService(ALERTMANAGER, ALERTMANAGER, ALERTMANAGER_PORT, stack.alertmanagerNodePort);
    nodePortService(JAEGER, `${JAEGER}-query`, JAEGER_QUERY_PORT, stack.jaegerNodePort);
    // The collector: what the services' OTEL_EXPORTER_OTLP_ENDPOINT names (jaegerOtlpEndpoint).
    new k8s.KubeService(this, 'jaeger-service', {
      metadata: meta(JAEGER),
      spec: {
        type: 'ClusterIP',
        selector: selectorLabels(JAEGER),
        ports: [
          {
            name: 'otlp-http',
            port: JAEGER_OTLP_HTTP_PORT,
            targetPort: k8s.IntOrString.fromString('otlp-http'),
            protocol: 'TCP',
          },
        ],
      },
    });
  }

  private workload(
    w: Workload,
    options: PlatformOptions,
    metadata: { name: string; namespace: string; labels: Record<string, string> },
  ) {
    const httpGet = (path: string) => ({ path, port: k8s.IntOrString.fromString(w.probes.port) });
    new k8s.KubeDeployment(this, `${w.name}-deployment`, {
      metadata,
      spec: {
        replicas: 1,
        // One store: a second pod would split (and, starting beside the first, contend for) the data.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selectorLabels(w.name) },
        template: {
          metadata: { labels: labels(w.name, 'observability') },
          spec: {
            ...(w.serviceAccount
              ? { serviceAccountName: w.name }
              : { automountServiceAccountToken: false }),
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: STACK_UID,
              runAsGroup: STACK_UID,
              fsGroup: STACK_UID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: w.name,
                image: w.image,
                imagePullPolicy: options.observabilityStack.pullPolicy,
                args: w.args,
                ports: w.ports.map((p) => ({
                  name: p.name,
                  containerPort: p.port,
                  protocol: 'TCP',
                })),
                // CPU requests follow cpuRequestPercent, as the services' (a small node takes 25).
                resources: resourceRequirements(w.resources, options.cpuRequestPercent),
                // Patient with a busy node (probes.ts says why).
                readinessProbe: { httpGet: httpGet(w.probes.readiness), ...READINESS },
                livenessProbe: { httpGet: httpGet(w.probes.liveness), ...LIVENESS },
                securityContext: restrictedSecurityContext(STACK_UID),
                volumeMounts: [
                  {
                    name: 'config',
                    mountPath: CONFIG_DIR[w.name as keyof typeof CONFIG_DIR],
                    readOnly: true,
                  },
                  ...w.volumes.map((v) => ({ name: v.name, mountPath: v.path })),
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: w.name } },
              ...w.volumes.map((v) => ({
                name: v.name,
                emptyDir: { sizeLimit: k8s.Quantity.fromString(v.sizeLimit) },
              })),
            ],
          },
        },
      },
    });
  }
}
