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
  type Pool,
  type RetentionSweep,
  type ServiceBase,
} from '@tourkit/kit';
import { createBookingOutbox } from './background/outbox-relay.js';
import { createPaymentBreaker } from './background/payment-breaker.js';
import { createPaymentQueue } from './background/payment-queue.js';
import type { PaymentJobDeps } from './background/payment-worker.js';
import { createSagaReconciler } from './background/reconcile-saga.js';
import { createBackground, type BookingBackground } from './background/runtime.js';
import { createBookingRetention } from './background/retention.js';
import { createCatalog } from './clients/catalog.js';
import { createPaymentGateway } from './clients/payment.js';
import { backgroundSettings, pricingRulesFrom, type BookingConfig } from './config.js';
import { bookingRoutes } from './http/routes.js';
import type { BookingContext } from './use-cases/context.js';

/** The service's OpenAPI document, served at /openapi.yaml (the image copies the whole service folder). */
const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

export interface BookingApp extends ServiceBase {
  app: Express;
  pool: Pool;
  /** The worker and loops of src/background: the caller starts them (server.ts, or a test). */
  background: BookingBackground;
  /** Prunes delivered outbox rows, old idempotency keys and finished payment jobs: server.ts starts it. */
  retention: RetentionSweep;
  /** Closed in this order at shutdown: the worker and the loops finish their running job before the pool closes. */
  closers: Closer[];
  close(): Promise<void>;
}

export interface BookingAppOptions {
  logger?: Logger;
  /** Injected so tests can pin "now" (quotes, upcoming window, cancellation, reservation expiry). */
  now?: () => Date;
  /** Runs after each successful charge, before the booking is updated (tests simulate a worker crash there). */
  afterCharge?: PaymentJobDeps['afterCharge'];
}

/** Builds the booking service (pool, clients, background runtime, routes) without listening or starting background work. */
export function createBookingApp(
  config: BookingConfig,
  options: BookingAppOptions = {},
): BookingApp {
  const base = createServiceBase(config, options);
  const { logger, metrics, health } = base;
  const now = options.now ?? (() => new Date());
  const pool = createServicePool(base, config);
  const settings = backgroundSettings(config);
  const internalHeaders = { 'x-internal-token': config.INTERNAL_TOKEN };
  const client = (name: string, baseUrl: string, timeoutMs: number, retries?: number) =>
    createServiceClient({
      name,
      baseUrl,
      timeoutMs,
      logger,
      headers: internalHeaders,
      ...(retries === undefined ? {} : { retries }),
    });
  const catalogClient = client('catalog', config.CATALOG_URL, config.CATALOG_TIMEOUT_MS);
  // Not critical: with catalog down, quotes and new bookings fail but listing existing bookings
  // still works, so the pod stays in service and reports DEGRADED.
  registerUpstreamHealth(health, [catalogClient], { critical: false });
  const catalog = createCatalog(catalogClient);
  // Payment and notification calls are not retried here: the queue and the outbox own retries.
  const paymentClient = client('payment', config.PAYMENT_URL, config.PAYMENT_TIMEOUT_MS, 0);
  const notificationClient = client(
    'notification',
    config.NOTIFICATION_URL,
    config.NOTIFICATION_TIMEOUT_MS,
    0,
  );
  const gateway = createPaymentGateway(paymentClient);

  const bookingsByStatus = metrics.counter<'status'>({
    name: 'bookings_total',
    help: 'Bookings created or moved to a status, by status',
    labelNames: ['status'],
  });
  const onBookingStatus = (status: string) => bookingsByStatus.inc({ status });

  const connection = { url: settings.redisUrl, maxRetriesPerRequest: null };
  const payments = createPaymentQueue({
    connection,
    prefix: settings.queuePrefix,
    retry: settings.retry,
    logger,
    metrics,
  });
  const breaker = createPaymentBreaker(gateway, paymentClient, settings.breaker, {
    metrics,
    logger,
    health,
  });
  const outbox = createBookingOutbox({
    pool,
    logger,
    metrics,
    catalog,
    gateway,
    notification: notificationClient,
    intervalMs: settings.outboxIntervalMs,
    retryBaseMs: settings.outboxRetryBaseMs,
  });
  const ctx: BookingContext = {
    pool,
    catalog,
    rules: pricingRulesFrom(config),
    logger,
    now,
    onBookingStatus,
    payments: {
      acceptsPayments: () => !breaker.opened,
      enqueue: payments.enqueue,
      wakeOutbox: () => outbox.wake(),
      publicUrl: settings.publicUrl,
      reservationTtlMs: settings.reservationTtlMs,
      supportEmail: settings.supportEmail,
    },
    paymentLinkSecret: config.PAYMENT_LINK_SECRET,
  };
  const reconciler = createSagaReconciler({ ctx, gateway, bounds: settings.bounds, metrics });
  const background = createBackground({
    pool,
    logger,
    metrics,
    connection,
    queuePrefix: settings.queuePrefix,
    payments,
    breaker,
    outbox,
    retry: settings.retry,
    workerConcurrency: settings.workerConcurrency,
    saga: ctx,
    reconciler,
    sagaIntervalMs: settings.sagaIntervalMs,
    circuitWaitMs: settings.breaker.resetTimeoutMs,
    expirySweepIntervalMs: settings.expirySweepIntervalMs,
    requeueIntervalMs: settings.requeueIntervalMs,
    now,
    onBookingStatus,
    ...(options.afterCharge ? { afterCharge: options.afterCharge } : {}),
  });
  const app = createApp({
    ...base,
    bodyLimit: config.BODY_LIMIT,
    openapiPath: OPENAPI_PATH,
    routes: bookingRoutes({
      ctx,
      verifier: tokenVerifierFromConfig(config),
      internalToken: config.INTERNAL_TOKEN,
      defaultCountry: config.DEFAULT_COUNTRY,
    }),
  });
  const retention = createBookingRetention({
    pool,
    queue: payments.queue,
    config,
    logger,
    metrics,
  });
  const closers: Closer[] = [() => retention.stop(), () => background.close(), pool];
  return { ...base, app, pool, background, retention, closers, close: () => closeAll(closers) };
}
