import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import {
  HttpProblem,
  sendProblem,
  type Cache,
  type Logger,
  type ServiceMetrics,
} from '@tourkit/kit';

/**
 * rate-limit-redis loads its Lua scripts once, in init; if Redis was unreachable then, every later
 * call would fail on the rejected load (and fail open). This store loads them again when needed.
 */
class ReloadingRedisStore extends RedisStore {
  private scriptsLoaded = false;

  override async init(options: Parameters<RedisStore['init']>[0]): Promise<void> {
    try {
      await super.init(options);
      this.scriptsLoaded = true;
    } catch {
      // Redis not reachable yet: the scripts are loaded on first use.
    }
  }

  override async increment(key: string) {
    try {
      if (!this.scriptsLoaded) {
        this.incrementScriptSha = quiet(this.loadIncrementScript());
        this.getScriptSha = quiet(this.loadGetScript());
        await Promise.all([this.incrementScriptSha, this.getScriptSha]);
        this.scriptsLoaded = true;
      }
      return await super.increment(key);
    } catch (error) {
      this.scriptsLoaded = false;
      throw error;
    }
  }
}

function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * The client a request counts against: the verified token's subject when authenticated (people
 * behind one address, a NAT or a NodePort, each have their own budget), else the client's address
 * (IPv6 by /56): the TCP peer, or the address a trusted proxy names (TRUSTED_PROXIES, `trust proxy`).
 */
export function clientKey(req: Request): string {
  return req.user ? `user:${req.user.id}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
}

export interface RateLimiterOptions {
  perMinute: number;
  cache: Cache;
  prefix: string;
  logger: Logger;
  metrics: ServiceMetrics;
}

/**
 * Per-client limit over a fixed one-minute window shared by every gateway replica (Redis).
 * Redis down → requests pass (fail open): losing the limit for a while beats losing the platform.
 */
export function rateLimiter(options: RateLimiterOptions): RequestHandler {
  const { redis } = options.cache;
  const limited = options.metrics.counter<'caller'>({
    name: 'gateway_rate_limited_total',
    help: 'Requests refused with 429, by kind of caller (user or anonymous)',
    labelNames: ['caller'],
  });
  return rateLimit({
    windowMs: 60_000,
    limit: options.perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: clientKey,
    passOnStoreError: true,
    // An X-Forwarded-For from a peer that is not a trusted proxy is ignored on purpose (req.ip is the
    // peer): not a misconfiguration to warn about on every start.
    validate: { xForwardedForHeader: false },
    store: new ReloadingRedisStore({
      prefix: options.prefix,
      sendCommand: (command: string, ...args: string[]) =>
        redis.call(command, ...args) as Promise<RedisReply>,
    }),
    handler: (req, res, _next, limiterOptions) => {
      limited.inc({ caller: req.user ? 'user' : 'anonymous' });
      const retryAfter = Number(res.getHeader('retry-after')) || 60;
      sendProblem(
        res,
        new HttpProblem(429, 'rate-limited', 'Too many requests', {
          detail: `At most ${limiterOptions.limit} requests per minute per client; retry in ${retryAfter} s.`,
          retryAfterSeconds: retryAfter,
        }),
      );
    },
    logger: {
      warn: (error, message) => options.logger.warn({ err: error }, message ?? 'rate limiter'),
      error: (error, message) => options.logger.warn({ err: error }, message ?? 'rate limiter'),
    },
  });
}
