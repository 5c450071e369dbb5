import { z } from 'zod';
import { defineConfig, env, loadConfig, tokenVerifierConfigShape } from '@tourkit/kit';

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
  /** Reverse proxies in front of the gateway (ingress): how many X-Forwarded-For hops to trust for the client IP. */
  TRUST_PROXY_HOPS: env.int(0, 0, 10),
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

export function loadGatewayConfig(
  environment: Record<string, string | undefined> = process.env,
): GatewayConfig {
  return loadConfig(gatewayConfigSchema, environment);
}
