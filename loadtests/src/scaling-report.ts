/**
 * The scaling report of `make loadtest-cluster`: load, CPU and replicas against time for the
 * workload whose policy is replayed (booking), the policy's predicted replicas beside the observed
 * ones, and each step matched. Pure: the CLI gathers the data and writes the files.
 */
import type { ChartSpec } from '@tourkit/observability';
import type { ReplayPoint, StepMatch } from './hpa-replay.js';
import type { RatePoint } from './k6-rate.js';
import type { WorkloadSample } from './samples.js';
import { formatTable } from './table.js';

export interface ScalingReportInput {
  readonly workload: string;
  /** The recorded samples of `workload` (its HPA), in time order. */
  readonly samples: readonly WorkloadSample[];
  readonly replay: readonly ReplayPoint[];
  readonly matches: readonly StepMatch[];
  /** Requests per second sent by each k6 script. */
  readonly rates: Readonly<Record<string, readonly RatePoint[]>>;
  /** Target utilization per resource, % of requests. */
  readonly targets: Readonly<Record<string, number>>;
  readonly toleranceSeconds: number;
  /** The run's start (UTC, ISO 8601) and what it ran, for the titles. */
  readonly startedAt: string;
  readonly description: string;
}

interface ChartRow {
  t: number;
  value: number;
  series: string;
  panel: 'load' | 'utilization' | 'replicas';
}

function chartRows(input: ScalingReportInput): ChartRow[] {
  const rows: ChartRow[] = [];
  for (const [script, points] of Object.entries(input.rates))
    for (const p of points)
      rows.push({ t: p.atSeconds, value: p.perSecond, series: script, panel: 'load' });
  for (const s of input.samples) {
    for (const m of s.metrics ?? [])
      rows.push({
        t: s.atSeconds,
        value: m.utilization,
        series: `${m.name} % of requests`,
        panel: 'utilization',
      });
    if (s.readyReplicas !== undefined)
      rows.push({
        t: s.atSeconds,
        value: s.readyReplicas,
        series: 'ready pods',
        panel: 'replicas',
      });
    if (s.minReplicas !== undefined)
      rows.push({ t: s.atSeconds, value: s.minReplicas, series: 'min', panel: 'replicas' });
    if (s.maxReplicas !== undefined)
      rows.push({ t: s.atSeconds, value: s.maxReplicas, series: 'max', panel: 'replicas' });
  }
  for (const p of input.replay) {
    rows.push({ t: p.atSeconds, value: p.observed, series: 'HPA decided', panel: 'replicas' });
    rows.push({ t: p.atSeconds, value: p.predicted, series: 'policy predicts', panel: 'replicas' });
  }
  return rows;
}

/** Three charts over one time axis: the load, the utilization the HPA measured, the replicas. */
export function scalingChartSpec(input: ScalingReportInput): ChartSpec {
  const x = { field: 't', type: 'quantitative' as const, title: 'seconds since the start' };
  const panel = (
    name: ChartRow['panel'],
    title: string,
    unit: string,
    extra: { interpolate?: 'step-after' | 'monotone'; dashed?: string[] } = {},
  ) => ({
    title,
    width: 760,
    height: 170,
    transform: [{ filter: { field: 'panel', equal: name } }],
    mark: {
      type: 'line' as const,
      interpolate: extra.interpolate ?? 'monotone',
      strokeWidth: 1.6,
    },
    encoding: {
      x,
      y: { field: 'value', type: 'quantitative' as const, title: unit },
      color: { field: 'series', type: 'nominal' as const, title: null },
      ...(extra.dashed
        ? {
            strokeDash: {
              condition: {
                test: `indexof(${JSON.stringify(extra.dashed)}, datum.series) >= 0`,
                value: [5, 3],
              },
              value: [1, 0],
            },
          }
        : {}),
    },
  });
  const targetList = Object.entries(input.targets)
    .map(([name, value]) => `${name} ${value} %`)
    .join(', ');
  return {
    title: {
      text: `${input.workload}: load, utilization and replicas (${input.startedAt})`,
      subtitle: input.description,
    },
    data: { values: chartRows(input) },
    vconcat: [
      panel('load', 'Requests per second sent by k6, per script', 'requests/s'),
      panel(
        'utilization',
        `Utilization the HPA measured (targets: ${targetList})`,
        '% of requests',
      ),
      panel(
        'replicas',
        "Replicas: the HPA's decisions and the policy's, pods ready, bounds",
        'pods',
        {
          interpolate: 'step-after',
          dashed: ['policy predicts', 'min', 'max'],
        },
      ),
    ],
    resolve: { scale: { color: 'independent' } },
    config: { font: 'sans-serif', view: { stroke: null }, legend: { orient: 'right' } },
  };
}

const seconds = (s: number | undefined) => (s === undefined ? '–' : `${s} s`);

/** The run as Markdown: the timeline every `everySeconds` and at each change, then the steps. */
export function scalingMarkdown(input: ScalingReportInput, everySeconds = 30): string {
  const rateAt = (points: readonly RatePoint[], at: number) => {
    let value: number | undefined;
    for (const p of points) if (p.atSeconds <= at) value = p.perSecond;
    return value === undefined ? '–' : value.toFixed(1);
  };
  const scripts = Object.keys(input.rates);
  const metricNames = [
    ...new Set(input.samples.flatMap((s) => (s.metrics ?? []).map((m) => m.name))),
  ];
  const replayAt = new Map(input.replay.map((p) => [p.atSeconds, p]));
  const rows: string[][] = [];
  let lastRow = -Infinity;
  let previous: ReplayPoint | undefined;
  for (const s of input.samples) {
    const point = replayAt.get(s.atSeconds);
    const changed =
      point !== undefined &&
      previous !== undefined &&
      (point.observed !== previous.observed || point.predicted !== previous.predicted);
    if (point) previous = point;
    if (!changed && s.atSeconds - lastRow < everySeconds) continue;
    lastRow = s.atSeconds;
    rows.push([
      String(s.atSeconds),
      ...scripts.map((script) => rateAt(input.rates[script]!, s.atSeconds)),
      ...metricNames.map((name) => {
        const metric = s.metrics?.find((m) => m.name === name);
        return metric ? `${metric.utilization} %` : '–';
      }),
      `${s.currentReplicas}/${s.readyReplicas ?? '?'}`,
      `${s.minReplicas ?? '?'}–${s.maxReplicas ?? '?'}`,
      point ? String(point.observed) : '–',
      point ? String(point.predicted) : '–',
      point?.reason ?? '',
    ]);
  }
  const timeline = formatTable(
    [
      't (s)',
      ...scripts.map((s) => `${s} req/s`),
      ...metricNames.map((m) => `${m} measured`),
      'pods/ready',
      'min–max',
      'HPA decided',
      'policy',
      'why (policy)',
    ],
    rows,
  );
  const steps = formatTable(
    ['to', 'policy at', 'HPA at', 'lag', 'within one sync'],
    input.matches.map((m) => [
      String(m.to),
      seconds(m.predictedAt),
      seconds(m.observedAt),
      seconds(m.lagSeconds),
      m.matched ? 'yes' : 'NO',
    ]),
  );
  return [
    `## ${input.workload}: the HPA against its policy`,
    '',
    input.description,
    '',
    '```',
    timeline,
    '```',
    '',
    `Steps (a step of the HPA's decision matched to the policy's within ${input.toleranceSeconds} s):`,
    '',
    '```',
    steps,
    '```',
    '',
  ].join('\n');
}
