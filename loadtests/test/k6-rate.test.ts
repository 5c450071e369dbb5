import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { bucketRate, readRequestRate, requestCounter } from '../src/k6-rate.js';

function countRequestLines(lines: string[]): Map<number, number> {
  const counter = requestCounter();
  for (const line of lines) counter.add(line);
  return counter.perSecond;
}

// The header and row shape of k6's CSV output (k6 v1, `--out csv=<file>`).
const HEADER =
  'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';
const row = (metric: string, second: number) =>
  `${metric},${second},1.000000,,,,true,,GET,http://127.0.0.1:8080/v1/tours?destination=Paris,HTTP/1.1,default,,200,,,http://127.0.0.1:8080/v1/tours?destination=Paris,route=GET /v1/tours,`;

describe('k6 request rate', () => {
  it('counts http_reqs rows per second and ignores the other metrics', () => {
    const counts = countRequestLines([
      HEADER,
      row('http_reqs', 1000),
      row('http_req_duration', 1000),
      row('http_reqs', 1000),
      row('http_reqs', 1001),
      row('iterations', 1001),
    ]);
    expect([...counts]).toEqual([
      [1000, 2],
      [1001, 1],
    ]);
  });

  it('refuses a file that is not k6 CSV, saying what it found', () => {
    expect(() => countRequestLines(['{"metric":"http_reqs"}'])).toThrow(/not k6 CSV output/);
  });

  it('buckets from the recording start, in requests per second', () => {
    const perSecond = new Map([
      [1000, 10],
      [1004, 10],
      [1005, 30],
    ]);
    expect(bucketRate(perSecond, 1000_500, 5)).toEqual([
      { atSeconds: 0, perSecond: 4 },
      { atSeconds: 5, perSecond: 6 },
    ]);
  });

  it('reads a file line by line from disk', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'k6-rate-'));
    try {
      const file = path.join(dir, 'run.csv');
      const rows = Array.from({ length: 25_000 }, (_, i) => row('http_reqs', 2000 + (i % 10)));
      writeFileSync(file, [HEADER, ...rows].join('\n') + '\n');
      const rate = await readRequestRate(file, 2000_000, 10);
      expect(rate).toEqual([{ atSeconds: 0, perSecond: 2500 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
