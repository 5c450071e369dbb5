/**
 * The configuration of Prometheus, Alertmanager and Jaeger as plain objects: `make dev` writes them
 * beside the services' processes (hack/observability), the in-cluster stack (./stack.ts) puts them in
 * ConfigMaps, so both watch the platform the same way. Pure data.
 */

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

/** Every alert, grouped by name and service, e-mailed to support, resolved notices included. */
export function alertmanagerSettings(s: AlertmanagerSettings) {
  return {
    global: { smtp_smarthost: s.smarthost, smtp_from: s.from, smtp_require_tls: false },
    route: {
      receiver: 'support',
      group_by: ['alertname', 'service'],
      group_wait: s.groupWait,
      group_interval: s.groupInterval,
      repeat_interval: '4h',
    },
    receivers: [{ name: 'support', email_configs: [{ to: s.to, send_resolved: true }] }],
  };
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
export function jaegerSettings(s: JaegerSettings) {
  return {
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
  };
}

export interface ClusterPrometheusSettings {
  /** The platform's namespace: the only one discovered (the Role allows no other). */
  readonly namespace: string;
  /** Path of the rule file inside the pod. */
  readonly ruleFile: string;
  /** host:port of the Alertmanager it sends to. */
  readonly alertmanager: string;
  readonly interval: string;
}

/**
 * Prometheus inside the cluster: every pod of the namespace that says `prometheus.io/scrape: "true"`
 * (the services' pod template does), at its pod IP and `prometheus.io/port`, on
 * `prometheus.io/path`, labelled as the ServiceMonitors label the services for kube-prometheus-stack
 * (`namespace`, `service` = the app's name, which the rules and dashboards select on) plus `pod`.
 */
export function clusterPrometheusSettings(s: ClusterPrometheusSettings) {
  const meta = (name: string) => `__meta_kubernetes_${name}`;
  return {
    global: { scrape_interval: s.interval, evaluation_interval: s.interval },
    rule_files: [s.ruleFile],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [s.alertmanager] }] }] },
    scrape_configs: [
      {
        job_name: 'tourkit-pods',
        // The app's own `service` label equals the target's: keep it, as a ServiceMonitor would.
        honor_labels: true,
        kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [s.namespace] } }],
        relabel_configs: [
          {
            source_labels: [meta('pod_annotation_prometheus_io_scrape')],
            regex: 'true',
            action: 'keep',
          },
          // A pod that has not started (or has ended) has nothing to scrape.
          { source_labels: [meta('pod_phase')], regex: 'Running', action: 'keep' },
          {
            source_labels: [meta('pod_annotation_prometheus_io_path')],
            regex: '(.+)',
            target_label: '__metrics_path__',
          },
          // One target per pod whatever ports it declares (the pod role gives one per port; equal
          // label sets are then one target).
          {
            source_labels: [meta('pod_ip'), meta('pod_annotation_prometheus_io_port')],
            regex: '(.+);([0-9]+)',
            replacement: '$1:$2',
            target_label: '__address__',
          },
          { source_labels: [meta('namespace')], target_label: 'namespace' },
          {
            source_labels: [meta('pod_label_app_kubernetes_io_name')],
            target_label: 'service',
          },
          { source_labels: [meta('pod_name')], target_label: 'pod' },
        ],
      },
    ],
  };
}
