import { describe, expect, it } from '@jest/globals';
import { parseK6Summary, summarizeRun } from '../src/k6-summary.js';

// The shape k6 v1.8 writes with --summary-export (trimmed): a crossed threshold is `true`.
const exported = JSON.stringify({
  metrics: {
    http_reqs: { count: 120, rate: 11.4 },
    http_req_failed: { passes: 0, fails: 120, value: 0, thresholds: { 'rate<0.01': false } },
    'http_req_duration{route:GET /v1/users/me}': {
      'p(99)': 14.1,
      thresholds: { 'p(99)<400': false, 'p(95)<5': true },
    },
  },
});

describe('summarizeRun', () => {
  it('reads requests, the failure rate and each threshold (true in the export means crossed)', () => {
    const run = summarizeRun(parseK6Summary(exported, 'user.json'));
    expect(run.requests).toBe(120);
    expect(run.failedRequestRate).toBe(0);
    expect(run.thresholds).toEqual([
      { metric: 'http_req_duration{route:GET /v1/users/me}', expression: 'p(95)<5', passed: false },
      {
        metric: 'http_req_duration{route:GET /v1/users/me}',
        expression: 'p(99)<400',
        passed: true,
      },
      { metric: 'http_req_failed', expression: 'rate<0.01', passed: true },
    ]);
    expect(run.allThresholdsPassed).toBe(false);
  });

  it('names the file that is not a summary', () => {
    expect(() => parseK6Summary('{"root_group":{}}', 'x.json')).toThrow(
      'x.json: not a k6 summary export',
    );
    expect(() => parseK6Summary('<html>', 'y.json')).toThrow(/^y\.json: not JSON/);
  });
});
