/**
 * Every query of every dashboard panel, as Prometheus would run it, and what must be scraped for it
 * to have series: the services themselves, kube-state-metrics (replicas, HPA bounds and targets) or
 * the ScalingSchedule controller. The panel-query test evaluates the services' ones against a
 * Prometheus that scrapes the platform's processes; the others need a cluster.
 */
import type { DashboardFile } from './dashboard.js';

/** What a query's metrics come from. */
export type MetricSource = 'services' | 'kube-state-metrics' | 'operator';

export interface PanelQuery {
  /** The dashboard's file (tourkit-overview.json, …). */
  readonly dashboard: string;
  readonly panel: string;
  readonly legend: string;
  /** PromQL with the dashboard's variables still in it ($namespace, $__rate_interval). */
  readonly expr: string;
  readonly source: MetricSource;
}

/** Metric-name prefixes of the sources that only a cluster has. */
const CLUSTER_SOURCES: Array<[RegExp, MetricSource]> = [
  [/\bkube_[a-z_]+\{/, 'kube-state-metrics'],
  [/\btourkit_scaling_schedule_[a-z_]+\{/, 'operator'],
];

export function sourceOf(expr: string): MetricSource {
  return CLUSTER_SOURCES.find(([pattern]) => pattern.test(expr))?.[1] ?? 'services';
}

interface PanelJson {
  readonly type?: string;
  readonly title?: string;
  readonly targets?: ReadonlyArray<{ expr?: string; legendFormat?: string }>;
}

export function panelQueries(dashboards: readonly DashboardFile[]): PanelQuery[] {
  return dashboards.flatMap(({ file, dashboard }) =>
    ((dashboard.panels ?? []) as PanelJson[])
      .filter((panel) => panel.type !== 'row')
      .flatMap((panel) =>
        (panel.targets ?? []).map((target) => ({
          dashboard: file,
          panel: panel.title ?? '(untitled)',
          legend: target.legendFormat ?? '',
          expr: target.expr ?? '',
          source: sourceOf(target.expr ?? ''),
        })),
      ),
  );
}

export interface VariableValues {
  readonly namespace: string;
  /** What Grafana puts for $__rate_interval (at least four scrape intervals). */
  readonly rateInterval: string;
}

/** The query as Grafana sends it, its template variables replaced. */
export function withVariables(expr: string, values: VariableValues): string {
  return expr
    .replaceAll(/\$\{?__rate_interval\}?/g, values.rateInterval)
    .replaceAll(/\$\{?namespace\}?/g, values.namespace);
}
