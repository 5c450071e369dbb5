import { randomUUID } from 'node:crypto';
import { createCache, type Cache } from '../src/cache.js';
import { HealthRegistry } from '../src/health.js';
import { createMetrics, type ServiceMetrics } from '../src/metrics.js';
import { closedPort, testRedisUrl } from '../src/testing.js';

async function cacheCounts(metrics: ServiceMetrics) {
  const values = (await metrics.registry.getSingleMetric('cache_requests_total')!.get()).values;
  const count = (result: string) => values.find((v) => v.labels.result === result)?.value ?? 0;
  return { hit: count('hit'), miss: count('miss'), error: count('error') };
}

describe('cache (real Redis)', () => {
  let cache: Cache;
  let prefix: string;
  let metrics: ServiceMetrics;
  const health = new HealthRegistry();

  beforeEach(async () => {
    metrics = createMetrics('cache-test', { defaultMetrics: false });
    prefix = `kit-test:${randomUUID()}:`;
    cache = createCache(testRedisUrl(), { prefix, metrics, health });
    expect(await cache.ready()).toBe(true);
  });

  afterEach(async () => {
    const keys = await cache.redis.keys(`${prefix}*`);
    if (keys.length > 0) await cache.redis.unlink(...keys);
    await cache.close();
  });

  it('stores entries with the given TTL', async () => {
    await cache.wrapGenerationalJson('generation', 'ttl-key', 120, async () => ({ a: 1 }));
    const ttl = await cache.redis.ttl(`${prefix}g0:ttl-key`);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
  });

  it('incr counts atomically from 0 under the prefix, without touching hit/miss', async () => {
    const values = await Promise.all([1, 2, 3, 4, 5].map(() => cache.incr('generation')));
    expect([...values].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await cache.redis.get(`${prefix}generation`)).toBe('5');
    expect(await cacheCounts(metrics)).toEqual({ hit: 0, miss: 0, error: 0 });
  });

  it('incr reports a key that does not hold an integer as a failure', async () => {
    await cache.redis.set(`${prefix}not-a-counter`, '{"a":1}');
    expect(await cache.incr('not-a-counter')).toBeUndefined();
  });

  it('wrapGenerationalJson serves the stored JSON text until the generation moves', async () => {
    let loads = 0;
    const loader = async () => ({ destination: 'Paris', load: ++loads });
    const read = async () =>
      (await cache.wrapGenerationalJson('generation', 'search:paris', 300, loader))?.toString();

    expect(await read()).toBe('{"destination":"Paris","load":1}');
    expect(await cache.redis.get(`${prefix}g0:search:paris`)).toBe(
      '{"destination":"Paris","load":1}',
    );
    // A hit is the JSON as stored, byte for byte: never parsed and serialized again.
    await cache.redis.set(`${prefix}g0:search:paris`, '{ "as" : "stored" }');
    expect(await read()).toBe('{ "as" : "stored" }');
    expect(await cacheCounts(metrics)).toEqual({ hit: 1, miss: 1, error: 0 });

    await cache.incr('generation');
    expect(await read()).toBe('{"destination":"Paris","load":2}');
    expect(await cache.redis.get(`${prefix}g1:search:paris`)).toBe(
      '{"destination":"Paris","load":2}',
    );
    expect(await cache.redis.ttl(`${prefix}g1:search:paris`)).toBeGreaterThan(290);
  });

  it('wrapGenerationalJson caches nothing for undefined, and treats a bad counter as a failure', async () => {
    let loads = 0;
    const missing = async () => {
      loads += 1;
      return undefined;
    };
    expect(await cache.wrapGenerationalJson('generation', 'tour:1', 60, missing)).toBeUndefined();
    expect(await cache.wrapGenerationalJson('generation', 'tour:1', 60, missing)).toBeUndefined();
    expect(loads).toBe(2);
    expect(await cache.redis.keys(`${prefix}*`)).toEqual([]);

    await cache.redis.set(`${prefix}generation`, 'oops');
    const json = await cache.wrapGenerationalJson('generation', 'tour:2', 60, async () => [2]);
    expect(json?.toString()).toBe('[2]');
    expect(await cacheCounts(metrics)).toEqual({ hit: 0, miss: 2, error: 1 });
    expect(await cache.redis.keys(`${prefix}g*:*`)).toEqual([]);
  });

  it('registers a non-critical health check that is UP', async () => {
    expect((await health.report()).checks.cache).toMatchObject({ status: 'UP', critical: false });
  });
});

describe('cache with Redis down', () => {
  it('fails fast: reads fall back to the loader, errors are counted, health is DEGRADED', async () => {
    const metrics = createMetrics('cache-down-test', { defaultMetrics: false });
    const health = new HealthRegistry();
    health.register('db', () => undefined, { critical: true });
    const cache = createCache(`redis://127.0.0.1:${await closedPort()}`, {
      prefix: 'down:',
      metrics,
      health,
    });
    try {
      expect(await cache.ready(300)).toBe(false);
      let loads = 0;
      const loader = async () => ++loads;
      const read = async () =>
        (await cache.wrapGenerationalJson('generation', 'k', 60, loader))?.toString();
      expect(await read()).toBe('1');
      expect(await read()).toBe('2');
      expect(await cache.incr('generation')).toBeUndefined();
      expect((await cacheCounts(metrics)).error).toBe(2);
      const report = await health.report();
      expect(report.status).toBe('DEGRADED');
      expect(report.checks.cache).toMatchObject({ status: 'DOWN', critical: false });
    } finally {
      await cache.close();
    }
  });
});
