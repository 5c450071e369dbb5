/**
 * The Tourkit Grafana dashboards, built with Grafana's typed foundation SDK: an overview (each
 * service's status in real time, as the course's monitoring asks, and its RED signals), one dashboard
 * per traffic profile (read-heavy catalog, peak-time booking, steady user), and the scaling view
 * (replicas against the autoscaler's bounds and the active ScalingSchedule window, CPU against target).
 * `make dashboards` writes each as JSON for the chart; the cdk8s app ships them in one ConfigMap for
 * the Grafana sidecar.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import type { ServiceSpec } from '../services.js';

const DATASOURCE: dashboard.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };
const WINDOW = '[$__rate_interval]';

/** PromQL of a service's panels; exported so tests (and the alert rules' authors) read the same selectors. */
export function queries(service: string) {
  const sel = `namespace="$namespace", service="${service}"`;
  const hpa = `namespace="$namespace", horizontalpodautoscaler="${service}"`;
  return {
    up: `sum(up{${sel}}) or vector(0)`,
    rate: `sum(rate(http_requests_total{${sel}}${WINDOW}))`,
    // `or vector(0)`: with no 5xx in the window the numerator has no series, and the ratio would be
    // empty rather than 0 (the panel-query test saw it).
    errors: `(sum(rate(http_requests_total{${sel}, status=~"5.."}${WINDOW})) or vector(0)) / clamp_min(sum(rate(http_requests_total{${sel}}${WINDOW})), 1e-9)`,
    p50: `histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}${WINDOW})))`,
    p99: `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}${WINDOW})))`,
    replicas: `kube_horizontalpodautoscaler_status_current_replicas{${hpa}}`,
    minReplicas: `kube_horizontalpodautoscaler_spec_min_replicas{${hpa}}`,
    maxReplicas: `kube_horizontalpodautoscaler_spec_max_replicas{${hpa}}`,
    // Services without an autoscaler: the Deployment's available replicas.
    available: `kube_deployment_status_replicas_available{namespace="$namespace", deployment="${service}"}`,
    cpuUtilization: `kube_horizontalpodautoscaler_status_target_metric{${hpa}, metric_name="cpu", metric_target_type="utilization"}`,
    cpuTarget: `kube_horizontalpodautoscaler_spec_target_metric{${hpa}, metric_name="cpu", metric_target_type="utilization"}`,
  };
}

function query(expr: string, legend: string): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder().expr(expr).legendFormat(legend);
}

function graph(
  title: string,
  unit: string,
  targets: Array<[expr: string, legend: string]>,
  width = 6,
): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .title(title)
    .datasource(DATASOURCE)
    .unit(unit)
    .min(0)
    .gridPos({ x: 0, y: 0, w: width, h: 7 });
  for (const [expr, legend] of targets) panel.withTarget(query(expr, legend));
  return panel;
}

/** UP (green) while at least one instance answers its scrape, DOWN (red) when none does. */
function status(service: string): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(service)
    .datasource(DATASOURCE)
    .withTarget(query(queries(service).up, service))
    .gridPos({ x: 0, y: 0, w: 3, h: 4 })
    .colorMode(common.BigValueColorMode.Background)
    .mappings([
      {
        type: dashboard.MappingType.RangeToText,
        options: { from: 1, to: null, result: { text: 'UP', color: 'green', index: 0 } },
      },
      {
        type: dashboard.MappingType.RangeToText,
        options: { from: null, to: 0.5, result: { text: 'DOWN', color: 'red', index: 1 } },
      },
    ]);
}

function variables(builder: dashboard.DashboardBuilder): dashboard.DashboardBuilder {
  return builder
    .withVariable(
      new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'),
    )
    .withVariable(
      new dashboard.QueryVariableBuilder('namespace')
        .label('Namespace')
        .datasource(DATASOURCE)
        .query('label_values(http_requests_total, namespace)')
        .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
        .current({ text: 'tourkit', value: 'tourkit' }),
    );
}

function base(uid: string, title: string): dashboard.DashboardBuilder {
  return variables(
    new dashboard.DashboardBuilder(title)
      .uid(uid)
      .tags(['tourkit'])
      .timezone('browser')
      .editable()
      .refresh('30s')
      .time({ from: 'now-1h', to: 'now' }),
  );
}

/** The RED row of one service: requests/s, 5xx ratio, latency, replicas. */
function redRow(builder: dashboard.DashboardBuilder, service: ServiceSpec): void {
  const q = queries(service.name);
  builder.withRow(new dashboard.RowBuilder(`${service.name} (${service.profile.name})`));
  builder.withPanel(graph(`${service.name}: requests/s`, 'reqps', [[q.rate, 'requests/s']]));
  builder.withPanel(graph(`${service.name}: 5xx ratio`, 'percentunit', [[q.errors, '5xx']]));
  builder.withPanel(
    graph(`${service.name}: latency`, 's', [
      [q.p50, 'p50'],
      [q.p99, 'p99'],
    ]),
  );
  builder.withPanel(
    service.profile.autoscaling
      ? graph(`${service.name}: replicas (HPA)`, 'none', [
          [q.replicas, 'current'],
          [q.minReplicas, 'min'],
          [q.maxReplicas, 'max'],
        ])
      : graph(`${service.name}: replicas (fixed)`, 'none', [[q.available, 'available']]),
  );
}

function overview(services: readonly ServiceSpec[]): dashboard.DashboardBuilder {
  const builder = base('tourkit-overview', 'Tourkit: services (RED) and autoscaling');
  builder.withRow(new dashboard.RowBuilder('Status'));
  for (const s of services) builder.withPanel(status(s.name));
  for (const s of services) redRow(builder, s);
  return builder;
}

function catalog(): dashboard.DashboardBuilder {
  const sel = 'namespace="$namespace", service="catalog"';
  const q = queries('catalog');
  return base('tourkit-catalog', 'Tourkit: catalog (read-heavy)')
    .withRow(new dashboard.RowBuilder('Reads and the cache'))
    .withPanel(
      graph(
        'catalog: cache hit ratio',
        'percentunit',
        [
          [
            `sum(rate(cache_requests_total{${sel}, result="hit"}${WINDOW})) / clamp_min(sum(rate(cache_requests_total{${sel}}${WINDOW})), 1e-9)`,
            'hit ratio',
          ],
        ],
        8,
      ),
    )
    .withPanel(
      graph(
        'catalog: cache lookups by result',
        'reqps',
        [[`sum by (result) (rate(cache_requests_total{${sel}}${WINDOW}))`, '{{result}}']],
        8,
      ),
    )
    .withPanel(
      graph(
        'catalog: search latency',
        's',
        [
          [q.p50, 'p50'],
          [q.p99, 'p99'],
        ],
        8,
      ),
    );
}

function booking(): dashboard.DashboardBuilder {
  const sel = 'namespace="$namespace", service="booking"';
  return base('tourkit-booking', 'Tourkit: booking (peak-time)')
    .withRow(new dashboard.RowBuilder('The booking saga'))
    .withPanel(
      graph(
        'booking: bookings by status',
        'short',
        [[`sum by (status) (increase(bookings_total{${sel}}${WINDOW}))`, '{{status}}']],
        8,
      ),
    )
    .withPanel(
      graph('booking: payment queue', 'short', [[`max(payment_queue_depth{${sel}})`, 'jobs']], 8),
    )
    .withPanel(
      graph(
        'booking: payment circuit (0 closed, 1 half-open, 2 open)',
        'none',
        [[`max by (circuit) (circuit_state{${sel}})`, '{{circuit}}']],
        8,
      ),
    );
}

function user(): dashboard.DashboardBuilder {
  const sel = 'namespace="$namespace", service="user"';
  const q = queries('user');
  return base('tourkit-user', 'Tourkit: user (steady)')
    .withRow(new dashboard.RowBuilder('Sign-in and latency'))
    .withPanel(
      graph(
        'user: latency',
        's',
        [
          [q.p50, 'p50'],
          [q.p99, 'p99'],
        ],
        8,
      ),
    )
    .withPanel(
      graph(
        'user: logins by outcome',
        'reqps',
        [[`sum by (outcome) (rate(user_logins_total{${sel}}${WINDOW}))`, '{{outcome}}']],
        8,
      ),
    )
    .withPanel(graph('user: replicas (fixed)', 'none', [[q.available, 'available']], 8));
}

function scaling(services: readonly ServiceSpec[]): dashboard.DashboardBuilder {
  const builder = base('tourkit-scaling', 'Tourkit: scaling');
  for (const s of services.filter((x) => x.profile.autoscaling)) {
    const q = queries(s.name);
    const schedule = `namespace="$namespace", name="${s.name}"`;
    builder.withRow(new dashboard.RowBuilder(`${s.name} (${s.profile.name})`));
    builder.withPanel(
      graph(
        `${s.name}: replicas against bounds`,
        'none',
        [
          [q.replicas, 'current'],
          [q.minReplicas, 'HPA min'],
          [q.maxReplicas, 'HPA max'],
          [`tourkit_scaling_schedule_min_replicas{${schedule}}`, 'schedule min'],
          [`tourkit_scaling_schedule_max_replicas{${schedule}}`, 'schedule max'],
        ],
        12,
      ),
    );
    builder.withPanel(
      graph(
        `${s.name}: CPU against target`,
        'percent',
        [
          [q.cpuUtilization, 'CPU (% of request)'],
          [q.cpuTarget, 'target'],
        ],
        12,
      ),
    );
  }
  return builder;
}

export interface DashboardFile {
  readonly file: string;
  readonly dashboard: dashboard.Dashboard;
}

/** Every dashboard, laid out (rows full width, panels left to right, wrapping at 24 columns). */
export function buildDashboards(services: readonly ServiceSpec[]): DashboardFile[] {
  return [
    ['tourkit-overview.json', overview(services)],
    ['tourkit-catalog.json', catalog()],
    ['tourkit-booking.json', booking()],
    ['tourkit-user.json', user()],
    ['tourkit-scaling.json', scaling(services)],
  ].map(([file, builder]) => ({
    file: file as string,
    dashboard: layOut((builder as dashboard.DashboardBuilder).build()),
  }));
}

/** Grid positions and ids: the SDK keeps each panel's size; this places them in reading order. */
function layOut(d: dashboard.Dashboard): dashboard.Dashboard {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let id = 1;
  const panels = (d.panels ?? []).map((p) => {
    const size = p.gridPos ?? { x: 0, y: 0, w: 24, h: 1 };
    if (p.type === 'row' || x + size.w > 24) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    const placed = {
      ...p,
      id: id++,
      gridPos: {
        ...size,
        x,
        y,
        w: p.type === 'row' ? 24 : size.w,
        h: p.type === 'row' ? 1 : size.h,
      },
    };
    if (p.type === 'row') {
      y += 1;
    } else {
      x += size.w;
      rowHeight = Math.max(rowHeight, size.h);
    }
    return placed;
  });
  return { ...d, panels };
}

/** Stable text: the ConfigMap, the chart's copy and `make dashboards` must agree byte for byte. */
export function dashboardJson(d: dashboard.Dashboard): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}
