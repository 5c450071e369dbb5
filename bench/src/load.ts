import autocannon from 'autocannon';
import type { Run } from './table.js';

export interface LoadTarget {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** `[<id>]` in the headers or body becomes a fresh id per request (an Idempotency-Key). */
  idReplacement?: boolean;
}

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  /** A fixed rate (req/s over all connections) instead of as fast as the server answers. */
  overallRate?: number;
}

/** One autocannon run against `target`, reduced to what the table shows. */
export async function load(target: LoadTarget, options: LoadOptions): Promise<Run> {
  const result = await autocannon({
    url: target.url,
    method: target.method ?? 'GET',
    headers: target.headers ?? {},
    ...(target.body === undefined ? {} : { body: target.body }),
    idReplacement: target.idReplacement ?? false,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
  });
  return {
    rps: result.requests.average,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
