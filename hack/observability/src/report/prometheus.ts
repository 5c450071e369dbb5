/** Prometheus's HTTP API, range queries only: what the report draws. */

export interface Sample {
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly value: number;
}

export interface Series {
  readonly labels: Readonly<Record<string, string>>;
  readonly samples: readonly Sample[];
}

export interface RangeRequest {
  readonly prometheusUrl: string;
  readonly expr: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepSeconds: number;
}

interface MatrixAnswer {
  status: 'success' | 'error';
  error?: string;
  data?: {
    resultType: string;
    result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;
  };
}

/** The series of a range query; a failed query (bad PromQL, Prometheus down) throws, saying which. */
export async function queryRange(r: RangeRequest): Promise<Series[]> {
  const params = new URLSearchParams({
    query: r.expr,
    start: String(r.fromMs / 1000),
    end: String(r.toMs / 1000),
    step: String(r.stepSeconds),
  });
  const url = `${r.prometheusUrl.replace(/\/+$/, '')}/api/v1/query_range`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: params,
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new Error(`Prometheus at ${r.prometheusUrl} did not answer: ${(error as Error).message}`);
  }
  const answer = (await response.json()) as MatrixAnswer;
  if (answer.status !== 'success' || !answer.data)
    throw new Error(`Prometheus refused ${r.expr}: ${answer.error ?? response.status}`);
  return matrixToSeries(answer.data.result);
}

/** Prometheus's matrix (seconds, values as text) as series; NaN and ±Inf (an empty histogram) are dropped. */
export function matrixToSeries(
  result: ReadonlyArray<{
    metric: Record<string, string>;
    values: ReadonlyArray<[number, string]>;
  }>,
): Series[] {
  return result
    .map((r) => ({
      labels: r.metric,
      samples: r.values
        .map(([seconds, text]) => ({ time: Math.round(seconds * 1000), value: Number(text) }))
        .filter((s) => Number.isFinite(s.value)),
    }))
    .filter((s) => s.samples.length > 0);
}
