/**
 * Requests per second over time from k6's CSV output (`k6 run --out csv=<file>`): one row per metric
 * sample, `metric_name,timestamp,...`; each `http_reqs` row is one request. Read as a stream: a
 * five-minute run writes tens of megabytes.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface RatePoint {
  /** Start of the bucket, seconds since `originMs`. */
  readonly atSeconds: number;
  readonly perSecond: number;
}

/** Counts one request per `http_reqs` line, by the second it was made (unix seconds), line by line. */
export function requestCounter(): { add(line: string): void; perSecond: Map<number, number> } {
  const perSecond = new Map<number, number>();
  let metricColumn = -1;
  let timeColumn = -1;
  return {
    perSecond,
    add(line) {
      if (metricColumn < 0) {
        const header = line.split(',');
        metricColumn = header.indexOf('metric_name');
        timeColumn = header.indexOf('timestamp');
        if (metricColumn < 0 || timeColumn < 0)
          throw new Error(`not k6 CSV output: no metric_name/timestamp header in "${line}"`);
        return;
      }
      const cells = line.split(',', Math.max(metricColumn, timeColumn) + 1);
      if (cells[metricColumn] !== 'http_reqs') return;
      const second = Math.floor(Number(cells[timeColumn]));
      if (Number.isFinite(second)) perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    },
  };
}

/** Requests per second in buckets of `bucketSeconds`, counted from `originMs` (the recording's start). */
export function bucketRate(
  perSecond: ReadonlyMap<number, number>,
  originMs: number,
  bucketSeconds: number,
): RatePoint[] {
  const origin = Math.floor(originMs / 1000);
  const buckets = new Map<number, number>();
  for (const [second, count] of perSecond) {
    const bucket = Math.floor((second - origin) / bucketSeconds) * bucketSeconds;
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + count);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([atSeconds, count]) => ({ atSeconds, perSecond: count / bucketSeconds }));
}

export async function readRequestRate(
  csvFile: string,
  originMs: number,
  bucketSeconds: number,
): Promise<RatePoint[]> {
  const counter = requestCounter();
  for await (const line of createInterface({ input: createReadStream(csvFile) })) counter.add(line);
  return bucketRate(counter.perSecond, originMs, bucketSeconds);
}
