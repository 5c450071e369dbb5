import { z } from 'zod';
import {
  databaseConfigShape,
  defineConfig,
  demoDataShape,
  env,
  internalTokenShape,
  loadConfig,
  tokenVerifierConfigShape,
} from '@tourkit/kit';

export const catalogConfigSchema = defineConfig({
  SERVICE_NAME: z.string().min(1).default('catalog'),
  ...databaseConfigShape('postgres://postgres@127.0.0.1:5432/tourkit_catalog'),
  ...demoDataShape,
  /** Read-only endpoint (replicas); searches and details read here. Defaults to DATABASE_URL. */
  DATABASE_READ_URL: env.url().optional(),
  REDIS_URL: env.url('redis://127.0.0.1:6379'),
  /** Prefix of every cache key, so several catalogs (or tests) can share one Redis. */
  CACHE_PREFIX: z.string().min(1).max(100).default('catalog:'),
  CACHE_TTL_SECONDS: env.int(300, 1, 86_400),
  CACHE_LOCAL_ENTRIES: env.int(1000, 0, 1_000_000),
  /** Booking hears of tour changes (start time, zone, cancellation) through catalog's outbox. */
  BOOKING_URL: env.url('http://127.0.0.1:8083'),
  BOOKING_TIMEOUT_MS: env.int(2_000, 50, 30_000),
  /** Run the outbox relay in this process (every replica may: rows are claimed with SKIP LOCKED). */
  OUTBOX_RELAY: env.boolean(true),
  OUTBOX_INTERVAL_MS: env.int(1_000, 10, 600_000),
  OUTBOX_RETRY_BASE_MS: env.int(1_000, 10, 600_000),
  // Operators' access tokens (issued by the user service); services call /internal/* with the token.
  ...tokenVerifierConfigShape,
  ...internalTokenShape,
});

export type CatalogConfig = z.output<typeof catalogConfigSchema>;

export function loadCatalogConfig(
  environment: Record<string, string | undefined> = process.env,
): CatalogConfig {
  return loadConfig(catalogConfigSchema, environment);
}
