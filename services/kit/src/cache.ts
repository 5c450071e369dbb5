import type { Redis } from 'ioredis';
import { connectCacheRedis, type CacheConnectionOptions } from './cache-connection.js';

export interface CreateCacheOptions extends CacheConnectionOptions {
  /** Prepended to every key (`catalog:`); also isolates tests from each other. */
  prefix: string;
}

/**
 * A cache for data versioned by a generation counter: what services use of Redis caching (catalog's
 * tours, the gateway's rate-limit connection).
 */
export interface Cache {
  readonly redis: Redis;
  /**
   * Atomically adds 1 to the integer at `key` (created at 0) and returns the new value; undefined when Redis
   * failed. Counters never expire: e.g. a generation number that every cache key embeds, so one `incr`
   * invalidates them all.
   */
  incr(key: string): Promise<number | undefined>;
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
  /** See connectCacheRedis (src/cache-connection.ts): true once Redis is ready, false after `timeoutMs`. */
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

/** The generational cache over a fail-fast Redis connection. */
export function createCache(redisUrl: string, options: CreateCacheOptions): Cache {
  const { prefix } = options;
  const connection = connectCacheRedis(redisUrl, options);
  const { redis, failed, counted } = connection;
  // EVALSHA, falling back to EVAL (and caching the script) should Redis not know it yet.
  redis.defineCommand('generationalGet', { numberOfKeys: 1, lua: GENERATIONAL_GET_SCRIPT });
  const full = (key: string) => `${prefix}${key}`;

  return {
    redis,
    async incr(key) {
      try {
        return await redis.incr(full(key));
      } catch (error) {
        failed('incr', error);
        return undefined;
      }
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
        counted(entry === null ? 'miss' : 'hit');
        if (entry !== null) return entry;
      } catch (error) {
        counted('error');
        failed('generationalGet', error);
        return toJson(await loader());
      }
      const text = toJson(await loader());
      if (text !== undefined) {
        try {
          await redis.set(full(`g${generation}:${key}`), text, 'EX', ttlSeconds);
        } catch (error) {
          failed('set', error);
        }
      }
      return text;
    },
    ready: connection.ready,
    close: connection.close,
  };
}

function toJson(value: unknown): Buffer | undefined {
  return value === undefined ? undefined : Buffer.from(JSON.stringify(value));
}
