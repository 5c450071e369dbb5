/**
 * What the load-test report draws: one chart per question a reader asks after a run (how much
 * traffic, how many errors, how slow, how many replicas, how much CPU, which schedule bounds), each
 * as Prometheus range queries. A chart lists alternatives: the first that has data is drawn (a
 * cluster's kube-state-metrics replica counts, else the instances Prometheus scraped), and a chart
 * none of whose queries has data says why instead.
 */

export interface SeriesQuery {
  /** PromQL; `{{series}}` in `legend` is replaced by the value of that label. */
  readonly expr: string;
  /** The series' name in the legend: a label's value (`{{service}}`) or a fixed text (`p99`). */
  readonly legend: string;
}

export interface ChartQueries {
  /** Queries drawn together (p50, p95, p99). */
  readonly queries: readonly SeriesQuery[];
  /** Shown under the chart when these are the ones drawn. */
  readonly caption: string;
}

export interface ChartDefinition {
  readonly id: string;
  readonly title: string;
  /** The y axis' title, with its unit. */
  readonly unit: string;
  /** Tried in order: the first with at least one series is drawn. */
  readonly alternatives: readonly ChartQueries[];
  /** Shown when no alternative has data. */
  readonly whenEmpty: string;
}

export interface ChartSettings {
  readonly namespace: string;
  /** The rate() window: at least four scrape intervals. */
  readonly rateInterval: string;
  /** The service whose latency is the traveller's (the gateway, where every request enters). */
  readonly entryService: string;
}

export function reportCharts(s: ChartSettings): ChartDefinition[] {
  const ns = `namespace="${s.namespace}"`;
  const w = `[${s.rateInterval}]`;
  const latency = (q: number, legend: string): SeriesQuery => ({
    expr: `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${ns}, service="${s.entryService}"}${w})))`,
    legend,
  });
  return [
    {
      id: 'requests',
      title: 'Requests per second, by service',
      unit: 'requests/s',
      alternatives: [
        {
          queries: [
            {
              expr: `sum by (service) (rate(http_requests_total{${ns}}${w}))`,
              legend: '{{service}}',
            },
          ],
          caption: `Every HTTP request each service answered (http_requests_total), over ${s.rateInterval} windows.`,
        },
      ],
      whenEmpty: 'No request was scraped in this window: was the platform running and scraped?',
    },
    {
      id: 'errors',
      title: 'Server errors (5xx) per second, by service',
      unit: '5xx/s',
      alternatives: [
        {
          queries: [
            {
              expr: `sum by (service) (rate(http_requests_total{${ns}, status=~"5.."}${w}))`,
              legend: '{{service}}',
            },
          ],
          caption: 'Responses with a 5xx status (http_requests_total{status=~"5.."}).',
        },
      ],
      whenEmpty: 'No 5xx response during the run.',
    },
    {
      id: 'latency',
      title: `Latency percentiles at the ${s.entryService}`,
      unit: 'seconds',
      alternatives: [
        {
          queries: [latency(0.5, 'p50'), latency(0.95, 'p95'), latency(0.99, 'p99')],
          caption: `From the ${s.entryService}'s http_request_duration_seconds histogram: what a traveller waited.`,
        },
      ],
      whenEmpty: `No request reached the ${s.entryService} in this window.`,
    },
    {
      id: 'replicas',
      title: 'Replicas, by service',
      unit: 'replicas',
      alternatives: [
        {
          queries: [
            {
              expr: `sum by (deployment) (kube_deployment_status_replicas_available{${ns}})`,
              legend: '{{deployment}}',
            },
          ],
          caption:
            "Available replicas of each Deployment (kube-state-metrics): the autoscalers' work.",
        },
        {
          queries: [{ expr: `sum by (service) (up{${ns}})`, legend: '{{service}}' }],
          caption:
            'Instances Prometheus scraped per service: no kube-state-metrics here (make dev runs one process each; the cluster shows Deployments).',
        },
      ],
      whenEmpty:
        'No replica count: neither kube-state-metrics nor any scrape target in this window.',
    },
    {
      id: 'cpu',
      title: 'CPU, by service',
      unit: 'cores',
      alternatives: [
        {
          queries: [
            {
              expr: `sum by (service) (rate(process_cpu_seconds_total{${ns}}${w}))`,
              legend: '{{service}}',
            },
          ],
          caption:
            'CPU seconds per second used by all instances of each service (process_cpu_seconds_total).',
        },
      ],
      whenEmpty: 'No CPU samples in this window.',
    },
    {
      id: 'schedule',
      title: 'Autoscaler bounds from the ScalingSchedule',
      unit: 'replicas',
      alternatives: [
        {
          queries: [
            {
              expr: `max by (name) (tourkit_scaling_schedule_min_replicas{${ns}})`,
              legend: '{{name}} min',
            },
            {
              expr: `max by (name) (tourkit_scaling_schedule_max_replicas{${ns}})`,
              legend: '{{name}} max',
            },
          ],
          caption: 'The bounds the ScalingSchedule controller applied to each HPA.',
        },
      ],
      whenEmpty:
        'No ScalingSchedule controller was scraped: it runs on a cluster (make up), not beside make dev.',
    },
  ];
}

/** A series' legend: `{{label}}` replaced by its value in the series' labels. */
export function legendOf(legend: string, labels: Readonly<Record<string, string>>): string {
  return legend.replaceAll(/\{\{(\w+)\}\}/g, (_match, name: string) => labels[name] ?? '');
}

/** The rate window for a step: four steps, and never under four scrapes of `scrapeSeconds`. */
export function rateIntervalFor(stepSeconds: number, scrapeSeconds: number): string {
  return `${Math.max(4 * stepSeconds, 4 * scrapeSeconds)}s`;
}

/** About 240 points across the window, and never finer than the scrape interval. */
export function stepFor(fromMs: number, toMs: number, scrapeSeconds: number): number {
  return Math.max(scrapeSeconds, Math.ceil((toMs - fromMs) / 1000 / 240));
}
