import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import {
  closeAll,
  createApp,
  createCache,
  createPool,
  createServiceBase,
  createServiceClient,
  createServicePool,
  tokenVerifierFromConfig,
  type Cache,
  type Closer,
  type Logger,
  type OutboxRelay,
  type Pool,
  type ServiceBase,
} from '@tourkit/kit';
import type { CatalogConfig } from './config.js';
import { createCatalogOutbox } from './background/tour-outbox.js';
import { catalogRoutes } from './http/routes.js';
import { TourRepository } from './store/tours.js';
import type { CatalogContext } from './use-cases/context.js';

/** The service's OpenAPI document, served at /openapi.yaml (the image copies the whole service folder). */
const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

export interface CatalogApp extends ServiceBase {
  app: Express;
  primary: Pool;
  replica: Pool;
  cache: Cache;
  /** What the use cases work with (store, cache, TTL). */
  catalog: CatalogContext;
  /** Delivers tour changes to booking: `start()` in the server (OUTBOX_RELAY), `drainOnce()` in tests. */
  outbox: OutboxRelay;
  /** Closed in this order at shutdown. */
  closers: Closer[];
  close(): Promise<void>;
}

/** Builds the catalog (pools, cache, routes) without listening. */
export function createCatalogApp(
  config: CatalogConfig,
  options: { logger?: Logger } = {},
): CatalogApp {
  const base = createServiceBase(config, options);
  const { logger, metrics, health } = base;
  const primary = createServicePool(base, config);
  // Always a separate read-only pool, even on the primary's URL: a write sent to it fails loudly.
  const replica = createPool(config.DATABASE_READ_URL ?? config.DATABASE_URL, {
    name: 'db-read',
    max: config.DB_POOL_MAX,
    readOnly: true,
    health,
    logger,
  });
  const cache = createCache(config.REDIS_URL, {
    prefix: config.CACHE_PREFIX,
    logger,
    metrics,
    health,
    localEntries: config.CACHE_LOCAL_ENTRIES,
  });
  const reads = metrics.counter<'source'>({
    name: 'catalog_fresh_reads_total',
    help: 'Cache refills, by where they read: a replica that had caught up with the last write, or the primary because it had not',
    labelNames: ['source'],
  });
  const tours = new TourRepository(primary, replica, (source) => reads.inc({ source }));
  const booking = createServiceClient({
    name: 'booking',
    baseUrl: config.BOOKING_URL,
    timeoutMs: config.BOOKING_TIMEOUT_MS,
    // The outbox owns retries.
    retries: 0,
    logger,
    headers: { 'x-internal-token': config.INTERNAL_TOKEN },
  });
  const outbox = createCatalogOutbox({
    primary,
    tours,
    booking,
    logger,
    metrics,
    intervalMs: config.OUTBOX_INTERVAL_MS,
    retryBaseMs: config.OUTBOX_RETRY_BASE_MS,
  });
  const catalog: CatalogContext = {
    tours,
    primary,
    cache,
    ttlSeconds: config.CACHE_TTL_SECONDS,
    logger,
    wakeOutbox: () => outbox.wake(),
  };
  const verifier = tokenVerifierFromConfig(config);
  const app = createApp({
    ...base,
    bodyLimit: config.BODY_LIMIT,
    openapiPath: OPENAPI_PATH,
    routes: catalogRoutes({ catalog, verifier, internalToken: config.INTERNAL_TOKEN }),
  });
  const closers: Closer[] = [() => outbox.stop(), cache, replica, primary];
  return {
    ...base,
    app,
    primary,
    replica,
    cache,
    catalog,
    outbox,
    closers,
    close: () => closeAll(closers),
  };
}
