/**
 * `make report`: the charts of reportCharts drawn from Prometheus's range queries over a window
 * (the last load test's), written as one HTML page with inline SVG.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  legendOf,
  rateIntervalFor,
  reportCharts,
  stepFor,
  type ChartDefinition,
} from './charts.js';
import { reportHtml, type DrawnChart, type ReportPage } from './page.js';
import { queryRange } from './prometheus.js';
import { lineChartSpec, renderSvg, type Point } from './render.js';

export interface ReportOptions {
  readonly prometheusUrl: string;
  readonly namespace: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** Prometheus's scrape interval: the finest step and the shortest rate() window follow it. */
  readonly scrapeSeconds: number;
  /** Where the page goes (its folder is created). */
  readonly out: string;
  readonly summaries?: ReportPage['summaries'];
}

async function draw(
  chart: ChartDefinition,
  o: ReportOptions,
  stepSeconds: number,
): Promise<DrawnChart> {
  for (const alternative of chart.alternatives) {
    const points: Point[] = [];
    for (const q of alternative.queries) {
      const series = await queryRange({
        prometheusUrl: o.prometheusUrl,
        expr: q.expr,
        fromMs: o.fromMs,
        toMs: o.toMs,
        stepSeconds,
      });
      for (const s of series) {
        const name = legendOf(q.legend, s.labels);
        for (const sample of s.samples) points.push({ ...sample, series: name });
      }
    }
    if (points.length > 0)
      return {
        id: chart.id,
        title: chart.title,
        svg: await renderSvg(lineChartSpec(points, chart.unit)),
        caption: alternative.caption,
        queries: alternative.queries.map((q) => q.expr),
      };
  }
  return {
    id: chart.id,
    title: chart.title,
    svg: null,
    caption: chart.whenEmpty,
    queries: chart.alternatives.flatMap((a) => a.queries.map((q) => q.expr)),
  };
}

/** Writes the page; returns what it drew (the charts with data and those without). */
export async function writeReport(o: ReportOptions): Promise<DrawnChart[]> {
  if (!(o.toMs > o.fromMs))
    throw new Error('the report window is empty: --to must be after --from');
  const stepSeconds = stepFor(o.fromMs, o.toMs, o.scrapeSeconds);
  const charts = reportCharts({
    namespace: o.namespace,
    rateInterval: rateIntervalFor(stepSeconds, o.scrapeSeconds),
    entryService: 'gateway',
  });
  const drawn: DrawnChart[] = [];
  for (const chart of charts) drawn.push(await draw(chart, o, stepSeconds));
  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(
    o.out,
    reportHtml({
      fromMs: o.fromMs,
      toMs: o.toMs,
      prometheusUrl: o.prometheusUrl,
      namespace: o.namespace,
      charts: drawn,
      summaries: o.summaries ?? [],
    }),
  );
  return drawn;
}

export { reportCharts, legendOf, rateIntervalFor, stepFor } from './charts.js';
export { matrixToSeries } from './prometheus.js';
export { reportHtml, escapeHtml, type DrawnChart } from './page.js';
