import { z } from 'zod';
import {
  databaseConfigShape,
  defineConfig,
  env,
  internalTokenShape,
  loadConfig,
  tokenVerifierConfigShape,
} from '@tourkit/kit';

export const reviewConfigSchema = defineConfig({
  SERVICE_NAME: z.string().min(1).default('review'),
  ...databaseConfigShape('postgres://postgres@127.0.0.1:5432/tourkit_review'),
  // Travellers' access tokens (issued by the user service); INTERNAL_TOKEN for the calls to other services.
  ...tokenVerifierConfigShape,
  ...internalTokenShape,
  BOOKING_URL: env.url('http://127.0.0.1:8083'),
  CATALOG_URL: env.url('http://127.0.0.1:8081'),
  NOTIFICATION_URL: env.url('http://127.0.0.1:8086'),
  /** Timeout of each call to another service (ms). */
  UPSTREAM_TIMEOUT_MS: env.int(2000, 100, 60_000),
  /** How often the outbox loop looks for due side effects (ms); a new review also wakes it at once. */
  OUTBOX_POLL_MS: env.int(1000, 10, 60_000),
  /** First retry delay of a failed side effect (ms); doubled per attempt up to OUTBOX_MAX_BACKOFF_MS. */
  OUTBOX_RETRY_BASE_MS: env.int(1000, 1, 3_600_000),
  OUTBOX_MAX_BACKOFF_MS: env.int(300_000, 1, 86_400_000),
});

export type ReviewConfig = z.output<typeof reviewConfigSchema>;

export function loadReviewConfig(
  environment: Record<string, string | undefined> = process.env,
): ReviewConfig {
  return loadConfig(reviewConfigSchema, environment);
}
