/** What a k6 `--summary-export` file says about a run: its requests and its thresholds. */

export interface K6SummaryExport {
  metrics: Record<
    string,
    { count?: number; rate?: number; value?: number; thresholds?: Record<string, boolean> }
  >;
}

export interface ThresholdResult {
  /** The metric with its tag filter, e.g. `http_req_duration{route:GET /v1/tours}`. */
  metric: string;
  expression: string;
  passed: boolean;
}

export interface RunSummary {
  requests: number;
  failedRequestRate: number;
  thresholds: ThresholdResult[];
  allThresholdsPassed: boolean;
}

export function parseK6Summary(text: string, source: string): K6SummaryExport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message})`);
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as K6SummaryExport).metrics !== 'object'
  ) {
    throw new Error(`${source}: not a k6 summary export (no "metrics" object)`);
  }
  return parsed as K6SummaryExport;
}

export function summarizeRun(summary: K6SummaryExport): RunSummary {
  const thresholds: ThresholdResult[] = [];
  for (const [metric, values] of Object.entries(summary.metrics)) {
    // In the export, a threshold's value says whether it was crossed: true means it FAILED.
    for (const [expression, crossed] of Object.entries(values.thresholds ?? {})) {
      thresholds.push({ metric, expression, passed: crossed === false });
    }
  }
  thresholds.sort(
    (a, b) => a.metric.localeCompare(b.metric) || a.expression.localeCompare(b.expression),
  );
  return {
    requests: summary.metrics.http_reqs?.count ?? 0,
    // A rate metric's share of true samples is its `value` (its passes/fails count the opposite way).
    failedRequestRate: summary.metrics.http_req_failed?.value ?? 0,
    thresholds,
    allThresholdsPassed: thresholds.every((t) => t.passed),
  };
}
