/**
 * The Tourkit Grafana dashboard, generated: one row per service with RED panels (rate, errors, duration)
 * and the autoscaler's current replicas against its min and max. Pure data; no Grafana library needed
 * for a dozen timeseries panels.
 */
import type { ServiceSpec } from '../services.js';

export const DASHBOARD_UID = 'tourkit-overview';

interface Target {
  expr: string;
  legendFormat: string;
  refId: string;
}

interface Panel {
  id: number;
  type: 'timeseries' | 'row';
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: 'prometheus'; uid: '${datasource}' };
  targets?: Target[];
  fieldConfig?: { defaults: { unit: string; min?: number }; overrides: unknown[] };
  collapsed?: boolean;
  panels?: Panel[];
}

const datasource = { type: 'prometheus', uid: '${datasource}' } as const;

function targets(...queries: Array<[expr: string, legend: string]>): Target[] {
  return queries.map(([expr, legendFormat], i) => ({
    expr,
    legendFormat,
    refId: String.fromCharCode(65 + i),
  }));
}

function timeseries(
  id: number,
  title: string,
  unit: string,
  x: number,
  y: number,
  t: Target[],
): Panel {
  return {
    id,
    type: 'timeseries',
    title,
    gridPos: { x, y, w: 6, h: 7 },
    datasource,
    targets: t,
    fieldConfig: { defaults: { unit, min: 0 }, overrides: [] },
  };
}

/** PromQL of the panels; exported so tests and alert rules use the same selectors. */
export function queries(service: string) {
  const sel = `namespace="$namespace", service="${service}"`;
  const window = '[$__rate_interval]';
  const hpa = `namespace="$namespace", horizontalpodautoscaler="${service}"`;
  return {
    rate: `sum(rate(http_requests_total{${sel}}${window}))`,
    errors: `sum(rate(http_requests_total{${sel}, status=~"5.."}${window})) / clamp_min(sum(rate(http_requests_total{${sel}}${window})), 1e-9)`,
    p50: `histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}${window})))`,
    p99: `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}${window})))`,
    replicas: `kube_horizontalpodautoscaler_status_current_replicas{${hpa}}`,
    minReplicas: `kube_horizontalpodautoscaler_spec_min_replicas{${hpa}}`,
    maxReplicas: `kube_horizontalpodautoscaler_spec_max_replicas{${hpa}}`,
    // Services without an autoscaler: the Deployment's available replicas.
    available: `kube_deployment_status_replicas_available{namespace="$namespace", deployment="${service}"}`,
  };
}

export function buildDashboard(services: readonly ServiceSpec[]): Record<string, unknown> {
  const panels: Panel[] = [];
  let id = 1;
  let y = 0;
  for (const service of services) {
    const q = queries(service.name);
    panels.push({
      id: id++,
      type: 'row',
      title: `${service.name} (${service.profile.name})`,
      gridPos: { x: 0, y: y++, w: 24, h: 1 },
      collapsed: false,
      panels: [],
    });
    panels.push(
      timeseries(
        id++,
        `${service.name}: requests/s`,
        'reqps',
        0,
        y,
        targets([q.rate, 'requests/s']),
      ),
    );
    panels.push(
      timeseries(
        id++,
        `${service.name}: 5xx ratio`,
        'percentunit',
        6,
        y,
        targets([q.errors, '5xx']),
      ),
    );
    panels.push(
      timeseries(
        id++,
        `${service.name}: latency`,
        's',
        12,
        y,
        targets([q.p50, 'p50'], [q.p99, 'p99']),
      ),
    );
    panels.push(
      service.profile.autoscaling
        ? timeseries(
            id++,
            `${service.name}: replicas (HPA)`,
            'none',
            18,
            y,
            targets([q.replicas, 'current'], [q.minReplicas, 'min'], [q.maxReplicas, 'max']),
          )
        : timeseries(
            id++,
            `${service.name}: replicas (fixed)`,
            'none',
            18,
            y,
            targets([q.available, 'available']),
          ),
    );
    y += 7;
  }
  return {
    uid: DASHBOARD_UID,
    title: 'Tourkit: services (RED) and autoscaling',
    tags: ['tourkit'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: true,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          current: {},
        },
        {
          name: 'namespace',
          label: 'Namespace',
          type: 'query',
          datasource,
          query: 'label_values(http_requests_total, namespace)',
          refresh: 2,
          current: { text: 'tourkit', value: 'tourkit' },
        },
      ],
    },
    panels,
  };
}

/** Stable text: the ConfigMap, the chart's copy and `make dashboards` must agree byte for byte. */
export function dashboardJson(services: readonly ServiceSpec[]): string {
  return `${JSON.stringify(buildDashboard(services), null, 2)}\n`;
}
