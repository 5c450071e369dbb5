/**
 * Configuration of a Prometheus and an Alertmanager that watch the platform's processes the way the
 * cluster's do: every service scraped with the labels its ServiceMonitor gives it (`namespace`,
 * `service`), the platform's own rules (cdk8s's ruleGroups, so the alerts that fire here are the ones
 * the cluster runs), and alerts routed by e-mail to the support address. Pure data, YAML out.
 */
import { stringify } from 'yaml';

export interface ScrapeTarget {
  /** The service's name, as its ServiceMonitor labels it. */
  readonly service: string;
  /** host:port of its /metrics. */
  readonly address: string;
}

export interface PrometheusSettings {
  readonly namespace: string;
  readonly targets: readonly ScrapeTarget[];
  readonly ruleFile: string;
  /** host:port of the Alertmanager it sends to. */
  readonly alertmanager: string;
  /** How often to scrape and evaluate (a test runs faster than the cluster's 15 s). */
  readonly interval: string;
}

export function prometheusConfig(s: PrometheusSettings): string {
  return stringify({
    global: { scrape_interval: s.interval, evaluation_interval: s.interval },
    rule_files: [s.ruleFile],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [s.alertmanager] }] }] },
    scrape_configs: s.targets.map((t) => ({
      job_name: t.service,
      metrics_path: '/metrics',
      // The app's own `service` label equals the target's: keep it, as a ServiceMonitor would.
      honor_labels: true,
      static_configs: [
        { targets: [t.address], labels: { namespace: s.namespace, service: t.service } },
      ],
    })),
  });
}

export interface AlertmanagerSettings {
  /** host:port of the SMTP server (the mail catcher in development). */
  readonly smarthost: string;
  readonly from: string;
  /** Who is paged: the platform's support address. */
  readonly to: string;
  /** How long a new group waits for more alerts, and how often it is re-sent when it changes. */
  readonly groupWait: string;
  readonly groupInterval: string;
}

export function alertmanagerConfig(s: AlertmanagerSettings): string {
  return stringify({
    global: { smtp_smarthost: s.smarthost, smtp_from: s.from, smtp_require_tls: false },
    route: {
      receiver: 'support',
      group_by: ['alertname', 'service'],
      group_wait: s.groupWait,
      group_interval: s.groupInterval,
      repeat_interval: '4h',
    },
    receivers: [{ name: 'support', email_configs: [{ to: s.to, send_resolved: true }] }],
  });
}

export interface JaegerSettings {
  /** host:port of the query service: the UI and the HTTP API (/api/traces, /api/v3). */
  readonly query: string;
  /** host:port of the query service's gRPC API (Jaeger always opens it; kept on loopback). */
  readonly queryGrpc: string;
  /** host:port of the OTLP/HTTP receiver the services export to (OTEL_EXPORTER_OTLP_ENDPOINT). */
  readonly otlpHttp: string;
  /** Traces kept in memory before the oldest are dropped. */
  readonly maxTraces: number;
}

/**
 * Jaeger v2's all-in-one, cut to what the platform uses: OTLP/HTTP in, memory storage, the query
 * API; every listener on the given addresses (its built-in config opens ten fixed ports, among
 * them 8888 for its own metrics, which `level: none` leaves closed).
 */
export function jaegerConfig(s: JaegerSettings): string {
  return stringify({
    service: {
      extensions: ['jaeger_storage', 'jaeger_query'],
      pipelines: {
        traces: {
          receivers: ['otlp'],
          processors: ['batch'],
          exporters: ['jaeger_storage_exporter'],
        },
      },
      telemetry: { metrics: { level: 'none' }, logs: { level: 'info' } },
    },
    extensions: {
      jaeger_storage: { backends: { memory: { memory: { max_traces: s.maxTraces } } } },
      jaeger_query: {
        storage: { traces: 'memory' },
        // Its own requests would otherwise be traced into itself.
        enable_tracing: false,
        http: { endpoint: s.query },
        grpc: { endpoint: s.queryGrpc },
      },
    },
    receivers: { otlp: { protocols: { http: { endpoint: s.otlpHttp } } } },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'memory' } },
  });
}
