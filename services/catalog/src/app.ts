import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import {
  HealthRegistry,
  createApp,
  createCache,
  createLogger,
  createMetrics,
  createPool,
  tokenVerifierFromConfig,
  type Cache,
  type Closer,
  type Logger,
  type Pool,
  type ServiceMetrics,
} from '@tourkit/kit';
import type { CatalogConfig } from './config.js';
import { TourRepository } from './db/tour-repository.js';
import { catalogRoutes } from './routes.js';
import { TourCatalog } from './tour-catalog.js';

/** The service's OpenAPI document, served at /openapi.yaml (the image copies the whole service folder). */
const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

export interface CatalogApp {
  app: Express;
  logger: Logger;
  metrics: ServiceMetrics;
  health: HealthRegistry;
  primary: Pool;
  replica: Pool;
  cache: Cache;
  catalog: TourCatalog;
  /** Closed in this order at shutdown. */
  closers: Closer[];
  close(): Promise<void>;
}

/** Builds the catalog (pools, cache, routes) without listening. */
export function createCatalogApp(
  config: CatalogConfig,
  options: { logger?: Logger } = {},
): CatalogApp {
  const name = config.SERVICE_NAME;
  const logger = options.logger ?? createLogger(name, config.LOG_LEVEL);
  const metrics = createMetrics(name);
  const health = new HealthRegistry();
  const max = config.DB_POOL_MAX;
  const primary = createPool(config.DATABASE_URL, { name: 'db', max, health, logger });
  // Always a separate read-only pool, even on the primary's URL: a write sent to it fails loudly.
  const replica = createPool(config.DATABASE_READ_URL ?? config.DATABASE_URL, {
    name: 'db-read',
    max,
    readOnly: true,
    health,
    logger,
  });
  const cache = createCache(config.REDIS_URL, {
    prefix: config.CACHE_PREFIX,
    logger,
    metrics,
    health,
  });
  const catalog = new TourCatalog({
    repository: new TourRepository(primary, replica),
    cache,
    ttlSeconds: config.CACHE_TTL_SECONDS,
    logger,
  });
  const verifier = tokenVerifierFromConfig(config);
  const app = createApp({
    name,
    logger,
    metrics,
    health,
    bodyLimit: config.BODY_LIMIT,
    openapiPath: OPENAPI_PATH,
    routes: catalogRoutes({ catalog, verifier, internalToken: config.INTERNAL_TOKEN }),
  });
  const closers: Closer[] = [cache, replica, primary];
  return {
    app,
    logger,
    metrics,
    health,
    primary,
    replica,
    cache,
    catalog,
    closers,
    async close() {
      for (const closer of closers) {
        if (typeof closer === 'function') await closer();
        else if ('close' in closer) await closer.close();
        else await closer.end();
      }
    },
  };
}
