import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { HealthRegistry } from './health.js';
import type { ServiceMetrics } from './metrics.js';

export interface CacheConnectionOptions {
  logger?: Logger | undefined;
  metrics?: ServiceMetrics | undefined;
  /** When given, registers a non-critical check named `cache` (Redis down → DEGRADED, not DOWN). */
  health?: HealthRegistry | undefined;
  healthCheckName?: string | undefined;
  /** Per-command timeout (ms); default 200: a slow cache must not slow the service down. */
  commandTimeoutMs?: number | undefined;
  connectTimeoutMs?: number | undefined;
}

/**
 * The Redis connection of a cache, which fails fast: short command timeouts and no offline queue,
 * so Redis down never blocks a request. Carries what every cache operation shares: the
 * `cache_requests_total` counter, a throttled error log, the health check, ready and close.
 */
export function connectCacheRedis(redisUrl: string, options: CacheConnectionOptions) {
  const { logger } = options;
  const redis = new Redis(redisUrl, {
    commandTimeout: options.commandTimeoutMs ?? 200,
    connectTimeout: options.connectTimeoutMs ?? 1000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    // ioredis arms this timer even when the socket is already gone (Redis down), delaying process exit.
    disconnectTimeout: 200,
  });
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
  const healthCheckName = options.healthCheckName ?? 'cache';
  options.health?.register(healthCheckName, () => redis.ping(), {
    critical: false,
    timeoutMs: 1000,
  });

  return {
    redis,
    /** Counts one lookup by its result. */
    counted(result: 'hit' | 'miss' | 'error') {
      requests?.inc({ result });
    },
    /** Logs a failed operation; always false, for `return failed(...)`. */
    failed(operation: string, error: unknown): false {
      logger?.warn({ err: error, operation }, 'cache operation failed');
      return false;
    },
    /**
     * Waits (bounded) for the first connection; true when Redis is ready. Commands sent before that
     * fail like Redis down (no offline queue), so start-up code and tests that need a warm cache
     * call this first.
     */
    ready(timeoutMs = 1000): Promise<boolean> {
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
    async close(): Promise<void> {
      options.health?.unregister(healthCheckName);
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
