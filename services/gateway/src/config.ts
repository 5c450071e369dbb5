import { z } from 'zod';
import { defineConfig, env, loadConfig, tokenVerifierConfigShape } from '@tourkit/kit';
import { parseTrustedProxies, type TrustProxy } from './domain/trusted-proxies.js';

export const gatewayConfigSchema = defineConfig({
  SERVICE_NAME: z.string().min(1).default('gateway'),
  // Access tokens (issued by the user service) are checked here with the public key only.
  ...tokenVerifierConfigShape,
  REDIS_URL: env.url('redis://127.0.0.1:6379'),
  CATALOG_URL: env.url('http://127.0.0.1:8081'),
  USER_URL: env.url('http://127.0.0.1:8082'),
  BOOKING_URL: env.url('http://127.0.0.1:8083'),
  REVIEW_URL: env.url('http://127.0.0.1:8084'),
  /** Requests per client (token subject, else IP) per minute. */
  RATE_LIMIT_PER_MINUTE: env.int(300, 1, 1_000_000),
  /** Prefix of the rate-limit keys in Redis (several gateways or tests can share one Redis). */
  RATE_LIMIT_PREFIX: z.string().min(1).max(100).default('gateway:rl:'),
  /** No answer from an upstream within this time → 504 (ms). */
  UPSTREAM_TIMEOUT_MS: env.int(10_000, 100, 300_000),
  /**
   * The reverse proxies in front of the gateway whose X-Forwarded-For names the real client (for the
   * per-client rate limit and the logs): a hop count, or IPs/CIDRs. Empty (default): none, so a
   * client cannot choose its own address by sending X-Forwarded-For.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((value, context): TrustProxy => {
      try {
        return parseTrustedProxies(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export function loadGatewayConfig(
  environment: Record<string, string | undefined> = process.env,
): GatewayConfig {
  return loadConfig(gatewayConfigSchema, environment);
}
