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

  it('stores entries with the given TTL, under the generations of their scopes', async () => {
    await cache.wrapScopedJson(['a', 'b'], 'ttl-key', 120, async () => ({ a: 1 }));
    const ttl = await cache.redis.ttl(`${prefix}e:ttl-key:0.0`);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
  });

  it('serves the stored JSON text until a write bumps one of its scopes, and only then', async () => {
    let loads = 0;
    const loader = async () => ({ destination: 'Paris', load: ++loads });
    const read = async (scopes: string[], key: string) =>
      (await cache.wrapScopedJson(scopes, key, 300, loader))?.toString();

    expect(await read(['tour:1'], 'tour:1')).toBe('{"destination":"Paris","load":1}');
    expect(await read(['tour:2'], 'tour:2')).toBe('{"destination":"Paris","load":2}');
    // A hit is the JSON as stored, byte for byte: never parsed and serialized again.
    await cache.redis.set(`${prefix}e:tour:1:0`, '{ "as" : "stored" }');
    expect(await read(['tour:1'], 'tour:1')).toBe('{ "as" : "stored" }');
    expect(await cacheCounts(metrics)).toEqual({ hit: 1, miss: 2, error: 0 });

    expect(await cache.bumpScopes(['tour:1'], 0)).toBe(true);
    expect(await read(['tour:1'], 'tour:1')).toBe('{"destination":"Paris","load":3}');
    expect(await cache.redis.ttl(`${prefix}e:tour:1:1`)).toBeGreaterThan(290);
    // tour:2's scope did not move: its entry survives.
    expect(await read(['tour:2'], 'tour:2')).toBe('{"destination":"Paris","load":2}');
  });

  it('tells the loader the highest version recorded in its scopes, never lowered', async () => {
    const seen: number[] = [];
    const loader = async (minVersion: number) => {
      seen.push(minVersion);
      return minVersion;
    };
    await cache.wrapScopedJson(['x', 'y'], 'k', 60, loader);
    await cache.bumpScopes(['x'], 500);
    await cache.wrapScopedJson(['x', 'y'], 'k', 60, loader);
    await cache.bumpScopes(['y'], 900);
    await cache.bumpScopes(['x'], 100); // an older write finishing late lowers nothing
    await cache.wrapScopedJson(['x', 'y'], 'k', 60, loader);
    await cache.wrapScopedJson(['x'], 'only-x', 60, loader);
    expect(seen).toEqual([0, 500, 900, 500]);
  });

  it('stores what a read loaded while a write bumped its scope where nobody reads any more', async () => {
    let release!: () => void;
    let loading!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const started = new Promise<void>((resolve) => (loading = resolve));
    const racing = cache.wrapScopedJson(['tour:9'], 'tour:9', 60, async () => {
      loading();
      await held;
      return { price: 'old' };
    });
    await started; // the read has seen generation 0 and is loading
    await cache.bumpScopes(['tour:9'], 10);
    release();
    expect((await racing)?.toString()).toBe('{"price":"old"}');
    const next = await cache.wrapScopedJson(['tour:9'], 'tour:9', 60, async () => ({
      price: 'new',
    }));
    expect(next?.toString()).toBe('{"price":"new"}');
  });

  it('caches nothing for undefined, and treats a broken scope as a failure', async () => {
    let loads = 0;
    const missing = async () => {
      loads += 1;
      return undefined;
    };
    expect(await cache.wrapScopedJson(['tour:1'], 'tour:1', 60, missing)).toBeUndefined();
    expect(await cache.wrapScopedJson(['tour:1'], 'tour:1', 60, missing)).toBeUndefined();
    expect(loads).toBe(2);
    expect(await cache.redis.keys(`${prefix}*`)).toEqual([]);

    await cache.redis.set(`${prefix}s:tour:2`, 'not a hash');
    const json = await cache.wrapScopedJson(['tour:2'], 'tour:2', 60, async () => [2]);
    expect(json?.toString()).toBe('[2]');
    expect(await cacheCounts(metrics)).toEqual({ hit: 0, miss: 2, error: 1 });
    expect(await cache.redis.keys(`${prefix}e:*`)).toEqual([]);
    expect(await cache.bumpScopes(['tour:2'], 1)).toBe(false);
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
      const read = async () => (await cache.wrapScopedJson(['s'], 'k', 60, loader))?.toString();
      expect(await read()).toBe('1');
      expect(await read()).toBe('2');
      expect(await cache.bumpScopes(['s'], 1)).toBe(false);
      expect((await cacheCounts(metrics)).error).toBe(2);
      const report = await health.report();
      expect(report.status).toBe('DEGRADED');
      expect(report.checks.cache).toMatchObject({ status: 'DOWN', critical: false });
    } finally {
      await cache.close();
    }
  });
});
