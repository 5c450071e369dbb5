import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import {
  closeAll,
  createApp,
  createServiceBase,
  createServiceClient,
  createServicePool,
  registerUpstreamHealth,
  tokenVerifierFromConfig,
  type Closer,
  type Logger,
  type OutboxRelay,
  type Pool,
  type ServiceBase,
  type ServiceClient,
} from '@tourkit/kit';
import type { ReviewConfig } from './config.js';
import { createReviewOutbox } from './background/outbox-relay.js';
import { reviewRoutes } from './http/routes.js';

/** The service's OpenAPI document, served at /openapi.yaml (the image copies the whole service folder). */
const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

export interface ReviewApp extends ServiceBase {
  app: Express;
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
  const base = createServiceBase(config, options);
  const { logger, metrics } = base;
  const pool = createServicePool(base, config);
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
  registerUpstreamHealth(base.health, [booking, catalog, notification], { critical: false });

  const outbox = createReviewOutbox({
    pool,
    catalog,
    notification,
    logger,
    metrics,
    intervalMs: config.OUTBOX_POLL_MS,
    retryBaseMs: config.OUTBOX_RETRY_BASE_MS,
    maxBackoffMs: config.OUTBOX_MAX_BACKOFF_MS,
  });
  const reviewsTotal = metrics.counter<'rating'>({
    name: 'reviews_total',
    help: 'Reviews created, by rating',
    labelNames: ['rating'],
  });
  const app = createApp({
    ...base,
    bodyLimit: config.BODY_LIMIT,
    openapiPath: OPENAPI_PATH,
    routes: reviewRoutes({
      ctx: {
        pool,
        booking,
        reviewsTotal,
        onReviewCreated: () => outbox.wake(),
        now: options.now ?? (() => new Date()),
      },
      verifier: tokenVerifierFromConfig(config),
    }),
  });
  const closers: Closer[] = [() => outbox.stop(), pool];
  return { ...base, app, pool, outbox, closers, close: () => closeAll(closers) };
}
