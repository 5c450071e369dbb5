import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import {
  HealthRegistry,
  createApp,
  createLogger,
  createMetrics,
  createPool,
  createOutboxRelay,
  createServiceClient,
  tokenVerifierFromConfig,
  type Closer,
  type Logger,
  type OutboxRelay,
  type Pool,
  type ServiceClient,
  type ServiceMetrics,
} from '@tourkit/kit';
import type { ReviewConfig } from './config.js';
import { outboxHandlers, type ReviewOutboxPayloads } from './clients.js';
import { reviewRoutes } from './routes.js';

/** The service's OpenAPI document, served at /openapi.yaml (the image copies the whole service folder). */
const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

export interface ReviewApp {
  app: Express;
  logger: Logger;
  metrics: ServiceMetrics;
  health: HealthRegistry;
  pool: Pool;
  outbox: OutboxRelay;
  /** Closed in this order at shutdown (the outbox loop before the pool it uses). */
  closers: Closer[];
  close(): Promise<void>;
}

export interface ReviewAppOptions {
  logger?: Logger;
  /** "Now" for the tour-has-taken-place rule; tests pin it. */
  now?: () => Date;
}

/** Builds the review service (pool, clients, outbox relay, routes) without listening or starting the relay. */
export function createReviewApp(config: ReviewConfig, options: ReviewAppOptions = {}): ReviewApp {
  const name = config.SERVICE_NAME;
  const logger = options.logger ?? createLogger(name, config.LOG_LEVEL);
  const metrics = createMetrics(name);
  const health = new HealthRegistry();
  const pool = createPool(config.DATABASE_URL, {
    name: 'db',
    max: config.DB_POOL_MAX,
    health,
    logger,
  });
  const internal = { 'x-internal-token': config.INTERNAL_TOKEN };
  const client = (service: string, baseUrl: string): ServiceClient =>
    createServiceClient({
      name: service,
      baseUrl,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      logger,
      headers: internal,
    });
  const booking = client('booking', config.BOOKING_URL);
  const catalog = client('catalog', config.CATALOG_URL);
  const notification = client('notification', config.NOTIFICATION_URL);
  // Booking down: no new review can be checked (503/502), but reading reviews works; catalog or
  // notification down: reviews are still accepted, their side effects wait in the outbox.
  for (const [service, upstream] of Object.entries({ booking, catalog, notification })) {
    health.register(service, () => upstream.request('GET', '/livez', { timeoutMs: 1000 }), {
      critical: false,
      timeoutMs: 1000,
    });
  }

  const outbox = createOutboxRelay<ReviewOutboxPayloads>({
    pool,
    handlers: outboxHandlers({ pool, catalog, notification }),
    logger,
    metrics,
    intervalMs: config.OUTBOX_POLL_MS,
    // The review row is the record; a delivered side effect needs no trace of its own.
    deliveredRows: 'delete',
    retryBaseMs: config.OUTBOX_RETRY_BASE_MS,
    maxBackoffMs: config.OUTBOX_MAX_BACKOFF_MS,
  });
  const reviewsTotal = metrics.counter<'rating'>({
    name: 'reviews_total',
    help: 'Reviews created, by rating',
    labelNames: ['rating'],
  });
  const app = createApp({
    name,
    logger,
    metrics,
    health,
    bodyLimit: config.BODY_LIMIT,
    openapiPath: OPENAPI_PATH,
    routes: reviewRoutes({
      pool,
      booking,
      verifier: tokenVerifierFromConfig(config),
      reviewsTotal,
      onReviewCreated: () => outbox.wake(),
      now: options.now ?? (() => new Date()),
    }),
  });
  const closers: Closer[] = [() => outbox.stop(), pool];
  return {
    app,
    logger,
    metrics,
    health,
    pool,
    outbox,
    closers,
    async close() {
      await outbox.stop();
      await pool.end();
    },
  };
}
