// The real k6 against the real catalog (in-process, its own database and cache prefix): the
// read-heavy script runs briefly, its SLO thresholds hold and every answer it gets is the one
// catalog's OpenAPI document describes; the loopback guard refuses other hosts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  INTERNAL_TOKEN,
  migratedTestDatabase,
  startTestCatalog,
  tourBody,
  type TestCatalog,
} from '@tourkit/catalog/testing';
import { startContractProxy } from '@tourkit/e2e/support/contract-proxy';
import { jsonClient } from '@tourkit/e2e/support/http';
import { k6Binary, k6Built, runK6 } from './k6.js';

if (!k6Built) {
  console.warn(
    `!!! SKIPPING the k6 tests: k6 is not built at ${k6Binary}. Build it with: hack/tools/build.sh k6 !!!`,
  );
}
const describeWithK6 = k6Built ? describe : describe.skip;

describeWithK6('k6 against a real catalog', () => {
  let catalog: TestCatalog;

  beforeAll(async () => {
    catalog = await startTestCatalog(await migratedTestDatabase('loadtests_catalog'));
    // The operator's set-up, its answers checked against catalog's document as the runs' are.
    const operator = jsonClient(catalog.url, { 'x-internal-token': INTERNAL_TOKEN }, 'catalog');
    for (const destination of ['Paris', 'Paris', 'Rome', 'Lyon']) {
      const res = await operator.post('/v1/tours', tourBody({ destination, capacity: 30 }));
      expect(res.status).toBe(201);
    }
  }, 30_000);

  afterAll(async () => {
    await catalog?.stop();
  });

  it('runs the read-heavy script for a few seconds: requests made, every threshold passed', async () => {
    const run = await runK6('catalog-read-heavy', {
      BASE_URL: catalog.url,
      AUTH_USERS: '0',
      DURATION: '3s',
      RATE: '10',
      MAX_VUS: '5',
    });

    expect(run.stderr).not.toMatch(/level=error/);
    expect(run.exitCode).toBe(0);
    expect(run.summary?.requests).toBeGreaterThan(10);
    expect(run.summary?.failedRequestRate).toBe(0);
    expect(run.summary?.thresholds.map((t) => t.metric)).toEqual(
      expect.arrayContaining([
        'http_req_duration{route:GET /v1/tours}',
        'http_req_failed{route:GET /v1/tours/:id}',
      ]),
    );
    expect(run.summary?.allThresholdsPassed).toBe(true);
  }, 60_000);

  it("answers the script's every request as catalog's OpenAPI document says (through the contract proxy)", async () => {
    // k6 runs the script in its own engine, where the e2e clients cannot go: the proxy checks instead.
    const proxy = await startContractProxy(catalog.url, 'catalog');
    try {
      const run = await runK6('catalog-read-heavy', {
        BASE_URL: proxy.url,
        AUTH_USERS: '0',
        DURATION: '3s',
        RATE: '10',
        MAX_VUS: '5',
      });
      expect(proxy.violations()).toEqual([]);
      expect(proxy.seen()).toBeGreaterThan(10);
      expect(run.summary?.failedRequestRate).toBe(0);
      // The latency thresholds would time the proxy too: the run above holds them, this one checks
      // answers only (0, or 99 for a crossed threshold; never a script error).
      expect([0, 99]).toContain(run.exitCode);
    } finally {
      await proxy.stop();
    }
  }, 60_000);

  it('fails the run (exit 99) when the target breaks its SLO', async () => {
    // A catalog path that only answers 404: every search fails, so the error-rate threshold is crossed.
    const run = await runK6('catalog-read-heavy', {
      BASE_URL: `${catalog.url}/nowhere`,
      AUTH_USERS: '0',
      DURATION: '2s',
      RATE: '5',
      MAX_VUS: '2',
    });

    expect(run.exitCode).toBe(99);
    expect(run.summary?.allThresholdsPassed).toBe(false);
    expect(run.summary?.thresholds).toContainEqual({
      metric: 'http_req_failed{route:GET /v1/tours}',
      expression: 'rate<0.01',
      passed: false,
    });
  }, 60_000);
});

describeWithK6('the loopback guard', () => {
  it.each(['catalog-read-heavy', 'booking-peak', 'user-steady'])(
    '%s refuses a non-loopback BASE_URL in init, before any request',
    async (script) => {
      // 192.0.2.1 is TEST-NET-1 (RFC 5737): never routed, so even a broken guard would reach no one.
      const run = await runK6(script, { BASE_URL: 'http://192.0.2.1:8080', DURATION: '2s' });

      expect(run.exitCode).toBe(107); // k6: script exception in init
      expect(run.stderr).toContain('BASE_URL host 192.0.2.1 is not a loopback address');
      expect(run.summary).toBeUndefined();
    },
    30_000,
  );
});
