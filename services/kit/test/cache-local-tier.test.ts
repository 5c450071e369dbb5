import { randomUUID } from 'node:crypto';
import { createCache, type Cache } from '../src/cache.js';
import { createMetrics } from '../src/metrics.js';
import { testRedisUrl } from '../src/testing.js';

/**
 * Two caches with one prefix and a local tier each stand for two pods of one service: what one
 * writes, the other must not serve from its own memory afterwards (real Redis, real pub/sub).
 */
describe('cache local tier (real Redis)', () => {
  let prefix: string;
  let a: Cache;
  let b: Cache;

  const open = () =>
    createCache(testRedisUrl(), {
      prefix,
      localEntries: 100,
      metrics: createMetrics('tier-test', { defaultMetrics: false }),
    });

  beforeEach(async () => {
    prefix = `kit-tier-test:${randomUUID()}:`;
    a = open();
    b = open();
    expect(await a.ready(5000)).toBe(true);
    expect(await b.ready(5000)).toBe(true);
  });

  afterEach(async () => {
    const keys = await a.redis.keys(`${prefix}*`);
    if (keys.length > 0) await a.redis.unlink(...keys);
    await a.close();
    await b.close();
  });

  /** A loader that counts its loads: the value says which load answered. */
  const counting = () => {
    let loads = 0;
    const loader = async () => ({ load: ++loads });
    return {
      loads: () => loads,
      read: async (cache: Cache, scopes: string[], key: string) =>
        (await cache.wrapScopedJson(scopes, key, 300, loader))?.toString(),
    };
  };

  const entryKeys = () => a.redis.keys(`${prefix}e:*`);

  it('answers a repeated read from the process, without Redis', async () => {
    const { read, loads } = counting();
    expect(await read(a, ['tour:1'], 'tour:1')).toBe('{"load":1}');
    // With the Redis entry gone, only the local tier can still answer it.
    await a.redis.unlink(...(await entryKeys()));
    expect(await read(a, ['tour:1'], 'tour:1')).toBe('{"load":1}');
    expect(loads()).toBe(1);
    // The other pod has no copy of its own: it loads.
    expect(await read(b, ['tour:1'], 'tour:1')).toBe('{"load":2}');
  });

  it('drops the entry in every process before a bump returns: the next read anywhere is fresh', async () => {
    const { read } = counting();
    expect(await read(a, ['search:all'], 'search:p1')).toBe('{"load":1}');
    expect(await read(b, ['search:all'], 'search:p1')).toBe('{"load":1}');
    expect(await b.bumpScopes(['search:all'], 7)).toBe(true);
    // No waiting: the bump came back only once a's tier had acknowledged the invalidation.
    expect(await read(a, ['search:all'], 'search:p1')).toBe('{"load":2}');
    expect(await read(b, ['search:all'], 'search:p1')).toBe('{"load":2}');
  });

  it('keeps the entries of scopes a bump did not touch', async () => {
    const { read, loads } = counting();
    await read(a, ['tour:1'], 'tour:1');
    await b.bumpScopes(['tour:2'], 1);
    await a.redis.unlink(...(await entryKeys()));
    expect(await read(a, ['tour:1'], 'tour:1')).toBe('{"load":1}');
    expect(loads()).toBe(1);
  });

  it('does not keep what a read loaded while a bump of its scope landed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = a.wrapScopedJson(['tour:9'], 'tour:9', 300, async () => {
      await gate;
      return { price: 'old' };
    });
    // The read has asked Redis (a miss) and is loading: the price changes meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await b.bumpScopes(['tour:9'], 2)).toBe(true);
    release();
    expect((await slow)?.toString()).toBe('{"price":"old"}');
    const next = await a.wrapScopedJson(['tour:9'], 'tour:9', 300, async () => ({ price: 'new' }));
    expect(next?.toString()).toBe('{"price":"new"}');
  });

  it('after losing its subscription, starts empty: a bump it missed is never served stale', async () => {
    const { read } = counting();
    expect(await read(a, ['tour:3'], 'tour:3')).toBe('{"load":1}');
    // Cut both tiers' connections (found by their name), then write while they are away.
    const tierIds = async () =>
      ((await a.redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string)
        .split('\n')
        .filter((line) => line.includes(`name=${prefix}invalidations:tier`))
        .map((line) => /\bid=(\d+)/.exec(line)![1]!);
    const cut = await tierIds();
    expect(cut).toHaveLength(2);
    for (const id of cut) await a.redis.client('KILL', 'ID', id);
    expect(await b.bumpScopes(['tour:3'], 3)).toBe(true);
    // Both reconnect (their retry waits 200 ms, so the bump landed while they were away) …
    for (let i = 0; i < 100; i++) {
      const now = await tierIds();
      if (now.length === 2 && now.every((id) => !cut.includes(id))) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await a.ready(5000)).toBe(true);
    expect(await b.ready(5000)).toBe(true);
    // … and a's tier came back empty: the read goes to Redis, which has the new generation.
    expect(await read(a, ['tour:3'], 'tour:3')).toBe('{"load":2}');
    // Subscribed again, the tier serves, and is dropped by bumps, as before.
    await a.redis.unlink(...(await entryKeys()));
    expect(await read(a, ['tour:3'], 'tour:3')).toBe('{"load":2}');
    expect(await b.bumpScopes(['tour:3'], 4)).toBe(true);
    expect(await read(a, ['tour:3'], 'tour:3')).toBe('{"load":3}');
  });
});
