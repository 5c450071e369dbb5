import type { Redis } from 'ioredis';
import { connectCacheRedis, type CacheConnectionOptions } from './cache-connection.js';
import { createLocalTier, type LocalTier } from './cache-local-tier.js';

export interface CreateCacheOptions extends CacheConnectionOptions {
  /** Prepended to every key (`catalog:`); also isolates tests from each other. */
  prefix: string;
  /**
   * How many entries this process keeps in front of Redis (default 0: none). A hit there costs no
   * round trip; every bump publishes the scopes it moved and each process drops their entries on
   * the message (src/cache-local-tier.ts says why that is as prompt as Redis itself).
   */
  localEntries?: number;
}

/**
 * A cache-aside of JSON entries, each depending on a few *scopes* (e.g. `tour:<id>`, `search:all`).
 * A scope is a Redis hash holding a generation `g` (bumped by each write that touches the scope)
 * and a version `v`: the highest version (e.g. the primary's WAL position after the commit) that a
 * write in the scope recorded. An entry lives under its key and the generations of its scopes, so
 * a write invalidates exactly the entries of the scopes it names, and a read racing the write
 * stores what it loaded under generations nobody reads any more. The loader is told the version
 * the data must be at least as new as, so it can refuse a lagging source.
 */
export interface Cache {
  readonly redis: Redis;
  /**
   * The entry `key` under the current generations of `scopes`, as stored (UTF-8 JSON bytes, so a hit
   * is never decoded, parsed, serialized and encoded again); on a miss, `loader(minVersion)`'s JSON,
   * stored for `ttlSeconds` (nothing stored when it returns undefined). `minVersion` is the highest
   * version recorded in the scopes (0 when none). With Redis down, the loader's JSON with
   * minVersion 0.
   */
  wrapScopedJson(
    scopes: readonly string[],
    key: string,
    ttlSeconds: number,
    loader: (minVersion: number) => Promise<unknown>,
  ): Promise<Buffer | undefined>;
  /**
   * After a committed write: moves each scope to a new generation and raises its version to
   * `version` (never lowers it). False when Redis failed: the bump is made again once Redis is
   * ready (entries of the scopes may be served until then, or until their TTL should this process
   * end first).
   */
  bumpScopes(scopes: readonly string[], version: number): Promise<boolean>;
  /**
   * See connectCacheRedis (src/cache-connection.ts): true once Redis is ready (and the local tier,
   * if any, subscribed), false after `timeoutMs`.
   */
  ready(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Reads the scopes (KEYS, hashes with `g` and `v`) and the entry named after their generations,
 * atomically: returns {generations joined by '.', highest version, entry or false}. The entry's
 * name depends on the generations, so it cannot be declared in KEYS: fine on one Redis (or a
 * primary with replicas), not on Redis Cluster.
 */
const SCOPED_GET_SCRIPT = `
local generations = {}
local version = 0
for i, scope in ipairs(KEYS) do
  local fields = redis.call('HMGET', scope, 'g', 'v')
  generations[i] = fields[1] or '0'
  local v = tonumber(fields[2] or '0') or 0
  if v > version then version = v end
end
local suffix = table.concat(generations, '.')
return {suffix, tostring(version), redis.call('GET', ARGV[1] .. ':' .. suffix)}
`;

/**
 * A new generation for each scope (KEYS) and its version raised to ARGV[1]; then message ARGV[3]
 * is published on channel ARGV[2] in the same atomic step, for the processes' local tiers (the
 * reply: how many received it).
 */
const BUMP_SCRIPT = `
local version = tonumber(ARGV[1])
for _, scope in ipairs(KEYS) do
  redis.call('HINCRBY', scope, 'g', 1)
  local current = tonumber(redis.call('HGET', scope, 'v') or '0') or 0
  if version > current then redis.call('HSET', scope, 'v', ARGV[1]) end
end
return redis.call('PUBLISH', ARGV[2], ARGV[3])
`;

type ScopedRedis = Redis & {
  /** ioredis defines a `…Buffer` twin of every custom command, replying with Buffers. */
  /** Without `numberOfKeys` in the definition, the first argument says how many keys follow. */
  scopedGetBuffer(
    numberOfKeys: number,
    ...keysThenEntryBase: string[]
  ): Promise<[generations: Buffer, version: Buffer, entry: Buffer | null]>;
  bumpScopes(numberOfKeys: number, ...keysThenVersionAndChannel: string[]): Promise<number>;
};

/** The scoped cache over a fail-fast Redis connection. */
export function createCache(redisUrl: string, options: CreateCacheOptions): Cache {
  const { prefix } = options;
  const connection = connectCacheRedis(redisUrl, options);
  const { redis, failed, counted } = connection;
  // EVALSHA, falling back to EVAL (and caching the script) should Redis not know it yet.
  redis.defineCommand('scopedGet', { lua: SCOPED_GET_SCRIPT });
  redis.defineCommand('bumpScopes', { lua: BUMP_SCRIPT });
  const scoped = redis as ScopedRedis;
  const scopeKeys = (scopes: readonly string[]) => scopes.map((scope) => `${prefix}s:${scope}`);
  const entryBase = (key: string) => `${prefix}e:${key}`;
  const channel = `${prefix}invalidations`;
  const local: LocalTier | undefined =
    (options.localEntries ?? 0) > 0
      ? createLocalTier(redis, channel, options.localEntries!, options.logger)
      : undefined;
  // A cache without a tier still tells the others (it waits for no acknowledgement: sequence 0).
  const bumpMessage = (keys: readonly string[]) =>
    local?.message(keys) ?? { sequence: 0, text: ['- 0', ...keys].join('\n') };
  // Bumps that failed while Redis was away (scope key → highest version), made again as soon as it
  // is back: Redis may return with its data (append-only file), and an entry cached before the
  // outage must not outlive a write made during it. A crash of this process before Redis returns
  // still leaves such entries to their TTL (README, "Cache").
  const pendingBumps = new Map<string, number>();
  const remember = (keys: readonly string[], version: number) => {
    for (const key of keys) pendingBumps.set(key, Math.max(pendingBumps.get(key) ?? 0, version));
  };
  const bumpPending = async () => {
    const batch = [...pendingBumps];
    pendingBumps.clear();
    for (const [key, version] of batch) {
      try {
        await scoped.bumpScopes(1, key, String(version), channel, bumpMessage([key]).text);
      } catch (error) {
        remember([key], version);
        failed('bumpScopes', error);
      }
    }
  };
  redis.on('ready', () => {
    if (pendingBumps.size > 0) void bumpPending();
  });

  return {
    redis,
    async wrapScopedJson(scopes, key, ttlSeconds, loader) {
      if (scopes.length === 0) throw new Error('an entry needs at least one scope');
      const keys = scopeKeys(scopes);
      const base = entryBase(key);
      const held = local?.get(base);
      if (held !== undefined) {
        counted('hit');
        return held;
      }
      // Taken before Redis is asked: an invalidation arriving meanwhile keeps the answer out of the local tier.
      const mark = local?.mark(keys);
      const keep = (entry: Buffer) => {
        if (mark !== undefined) local!.keep(base, entry, keys, mark, ttlSeconds);
      };
      let generations: string;
      let minVersion: number;
      try {
        const [suffix, version, entry] = await scoped.scopedGetBuffer(keys.length, ...keys, base);
        generations = suffix.toString();
        minVersion = Number(version.toString());
        counted(entry === null ? 'miss' : 'hit');
        if (entry !== null) {
          keep(entry);
          return entry;
        }
      } catch (error) {
        counted('error');
        failed('scopedGet', error);
        return toJson(await loader(0));
      }
      const text = toJson(await loader(minVersion));
      if (text !== undefined) {
        try {
          await redis.set(`${base}:${generations}`, text, 'EX', ttlSeconds);
          keep(text);
        } catch (error) {
          failed('set', error);
        }
      }
      return text;
    },
    async bumpScopes(scopes, version) {
      if (scopes.length === 0) return true;
      const keys = scopeKeys(scopes);
      const message = bumpMessage(keys);
      try {
        const receivers = await scoped.bumpScopes(
          keys.length,
          ...keys,
          String(version),
          channel,
          message.text,
        );
        // Every process's tier has dropped the entries before the writer answers its client.
        await local?.acknowledged(message.sequence, receivers);
        return true;
      } catch (error) {
        remember(keys, version);
        failed('bumpScopes', error);
        return false;
      } finally {
        // Once the bump has landed (a read that began before and answers later is refused by its mark).
        local?.invalidate(keys);
      }
    },
    async ready(timeoutMs = 1000) {
      const started = Date.now();
      if (!(await connection.ready(timeoutMs))) return false;
      return local ? local.ready(Math.max(0, timeoutMs - (Date.now() - started))) : true;
    },
    async close() {
      await local?.close();
      await connection.close();
    },
  };
}

function toJson(value: unknown): Buffer | undefined {
  return value === undefined ? undefined : Buffer.from(JSON.stringify(value));
}
