import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { HealthRegistry } from './health.js';
import type { ServiceMetrics } from './metrics.js';

export interface CreateCacheOptions {
  /** Prepended to every key (`catalog:`); also isolates tests from each other. */
  prefix: string;
  logger?: Logger;
  metrics?: ServiceMetrics;
  /** When given, registers a non-critical check named `cache` (Redis down → DEGRADED, not DOWN). */
  health?: HealthRegistry;
  healthCheckName?: string;
  /** Per-command timeout (ms); default 200: a slow cache must not slow the service down. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export interface Cache {
  readonly redis: Redis;
  /** The parsed value, or undefined on a miss or when Redis fails. */
  getJson<T>(key: string): Promise<T | undefined>;
  /** False when Redis failed. */
  setJson(
    key: string,
    value: unknown,
    ttlSeconds: number,
    options?: { tags?: string[] },
  ): Promise<boolean>;
  del(...keys: string[]): Promise<boolean>;
  /**
   * Atomically adds 1 to the integer at `key` (created at 0) and returns the new value; undefined when Redis
   * failed. Counters never expire: e.g. a generation number that every cache key embeds, so one `incr`
   * invalidates them all.
   */
  incr(key: string): Promise<number | undefined>;
  /** The integer at `key` (0 when absent); undefined when Redis failed. Not counted as a cache hit or miss. */
  counter(key: string): Promise<number | undefined>;
  /** Deletes every key starting with `prefix` (SCAN + UNLINK, never KEYS). */
  delByPrefix(prefix: string): Promise<boolean>;
  /** Deletes every key stored with this tag. */
  invalidateTag(tag: string): Promise<boolean>;
  /** Cache-aside: the cached value, else `loader()` stored for `ttlSeconds`; with Redis down, just `loader()`. */
  wrap<T>(
    key: string,
    ttlSeconds: number,
    loader: () => Promise<T>,
    options?: { tags?: string[] },
  ): Promise<T>;
  /**
   * Cache-aside for data versioned by the counter at `generationKey` (see `incr`): the entry lives under
   * `g<generation>:<key>`, and one round trip reads the counter and that entry together, so one `incr` after
   * a write invalidates every entry at once, for every replica, from the next read on. Returns the JSON as
   * stored (UTF-8 bytes), so a hit is never decoded, parsed, serialized and encoded again; undefined (and nothing
   * cached) when `loader` returns undefined. With Redis down, `loader()`'s JSON: never an entry that might
   * predate a write.
   */
  wrapGenerationalJson(
    generationKey: string,
    key: string,
    ttlSeconds: number,
    loader: () => Promise<unknown>,
  ): Promise<Buffer | undefined>;
  /**
   * Waits (bounded) for the first connection; true when Redis is ready. Commands sent before that fail like
   * Redis down (no offline queue), so start-up code and tests that need a warm cache call this first.
   */
  ready(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Reads a generation counter (KEYS[1], '0' when absent) and the entry ARGV[1]..'g'..generation..':'..ARGV[2]
 * atomically. The entry's name depends on the counter, so it cannot be declared in KEYS: fine on one Redis
 * (or a primary with replicas), not on Redis Cluster.
 */
const GENERATIONAL_GET_SCRIPT = `
local generation = redis.call('GET', KEYS[1]) or '0'
return {generation, redis.call('GET', ARGV[1] .. 'g' .. generation .. ':' .. ARGV[2])}
`;

type GenerationalRedis = Redis & {
  /** ioredis defines a `…Buffer` twin of every custom command, replying with Buffers. */
  generationalGetBuffer(
    generationKey: string,
    prefix: string,
    key: string,
  ): Promise<[generation: Buffer, entry: Buffer | null]>;
};

/** Redis cache that fails fast: short command timeouts and no offline queue, so Redis down never blocks a request. */
export function createCache(redisUrl: string, options: CreateCacheOptions): Cache {
  const { prefix, logger } = options;
  const redis = new Redis(redisUrl, {
    commandTimeout: options.commandTimeoutMs ?? 200,
    connectTimeout: options.connectTimeoutMs ?? 1000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    // ioredis arms this timer even when the socket is already gone (Redis down), delaying process exit.
    disconnectTimeout: 200,
  });
  // EVALSHA, falling back to EVAL (and caching the script) should Redis not know it yet.
  redis.defineCommand('generationalGet', { numberOfKeys: 1, lua: GENERATIONAL_GET_SCRIPT });
  let lastErrorLog = 0;
  redis.on('error', (error: Error) => {
    // ioredis reports every failed reconnect; one line per 10 s is enough.
    if (Date.now() - lastErrorLog > 10_000) {
      lastErrorLog = Date.now();
      logger?.warn({ err: error }, 'redis connection error');
    }
  });
  const requests = options.metrics?.counter({
    name: 'cache_requests_total',
    help: 'Cache lookups by result (hit, miss, error)',
    labelNames: ['result'],
  });
  options.health?.register(options.healthCheckName ?? 'cache', () => redis.ping(), {
    critical: false,
    timeoutMs: 1000,
  });

  const full = (key: string) => `${prefix}${key}`;
  const tagKey = (tag: string) => `${prefix}tag:${tag}`;
  const failed = (operation: string, error: unknown) => {
    logger?.warn({ err: error, operation }, 'cache operation failed');
    return false;
  };

  async function lookup<T>(
    key: string,
  ): Promise<{ hit: true; value: T } | { hit: false; error: boolean }> {
    try {
      const raw = await redis.get(full(key));
      if (raw === null) {
        requests?.inc({ result: 'miss' });
        return { hit: false, error: false };
      }
      requests?.inc({ result: 'hit' });
      return { hit: true, value: JSON.parse(raw) as T };
    } catch (error) {
      requests?.inc({ result: 'error' });
      failed('get', error);
      return { hit: false, error: true };
    }
  }

  async function setJson(
    key: string,
    value: unknown,
    ttlSeconds: number,
    setOptions: { tags?: string[] } = {},
  ) {
    return setText(key, JSON.stringify(value), ttlSeconds, setOptions);
  }

  async function setText(
    key: string,
    text: string | Buffer,
    ttlSeconds: number,
    setOptions: { tags?: string[] } = {},
  ) {
    try {
      const pipeline = redis.multi().set(full(key), text, 'EX', ttlSeconds);
      for (const tag of setOptions.tags ?? []) {
        pipeline.sadd(tagKey(tag), full(key)).expire(tagKey(tag), ttlSeconds, 'GT');
        pipeline.expire(tagKey(tag), ttlSeconds, 'NX');
      }
      await pipeline.exec();
      return true;
    } catch (error) {
      return failed('set', error);
    }
  }

  return {
    redis,
    async getJson<T>(key: string) {
      const result = await lookup<T>(key);
      return result.hit ? result.value : undefined;
    },
    setJson,
    async del(...keys) {
      if (keys.length === 0) return true;
      try {
        await redis.unlink(...keys.map(full));
        return true;
      } catch (error) {
        return failed('del', error);
      }
    },
    async incr(key) {
      try {
        return await redis.incr(full(key));
      } catch (error) {
        failed('incr', error);
        return undefined;
      }
    },
    async counter(key) {
      try {
        const raw = await redis.get(full(key));
        if (raw === null) return 0;
        const value = Number(raw);
        if (!Number.isSafeInteger(value)) throw new Error(`not an integer counter: ${key}`);
        return value;
      } catch (error) {
        failed('counter', error);
        return undefined;
      }
    },
    async delByPrefix(keyPrefix) {
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(
            cursor,
            'MATCH',
            `${escapeGlob(full(keyPrefix))}*`,
            'COUNT',
            500,
          );
          cursor = next;
          if (keys.length > 0) await redis.unlink(...keys);
        } while (cursor !== '0');
        return true;
      } catch (error) {
        return failed('delByPrefix', error);
      }
    },
    async invalidateTag(tag) {
      try {
        const keys = await redis.smembers(tagKey(tag));
        await redis.unlink(tagKey(tag), ...keys);
        return true;
      } catch (error) {
        return failed('invalidateTag', error);
      }
    },
    async wrap<T>(
      key: string,
      ttlSeconds: number,
      loader: () => Promise<T>,
      wrapOptions: { tags?: string[] } = {},
    ) {
      const cached = await lookup<T>(key);
      if (cached.hit) return cached.value;
      const value = await loader();
      // After a failed read Redis is most likely down: skip the write instead of failing twice.
      if (!cached.error && value !== undefined) await setJson(key, value, ttlSeconds, wrapOptions);
      return value;
    },
    async wrapGenerationalJson(generationKey, key, ttlSeconds, loader) {
      let generation: number;
      try {
        const [counter, entry] = await (redis as GenerationalRedis).generationalGetBuffer(
          full(generationKey),
          prefix,
          key,
        );
        generation = Number(counter.toString());
        if (!Number.isSafeInteger(generation)) {
          throw new Error(`not an integer counter: ${generationKey}`);
        }
        requests?.inc({ result: entry === null ? 'miss' : 'hit' });
        if (entry !== null) return entry;
      } catch (error) {
        requests?.inc({ result: 'error' });
        failed('generationalGet', error);
        return toJson(await loader());
      }
      const text = toJson(await loader());
      if (text !== undefined) await setText(`g${generation}:${key}`, text, ttlSeconds);
      return text;
    },
    ready(timeoutMs = 1000) {
      if (redis.status === 'ready') return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const done = (ready: boolean) => {
          clearTimeout(timer);
          redis.off('ready', onReady);
          resolve(ready);
        };
        const onReady = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        redis.once('ready', onReady);
      });
    },
    async close() {
      options.health?.unregister(options.healthCheckName ?? 'cache');
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}

function toJson(value: unknown): Buffer | undefined {
  return value === undefined ? undefined : Buffer.from(JSON.stringify(value));
}

function escapeGlob(value: string): string {
  return value.replace(/[*?[\]\\]/g, '\\$&');
}
