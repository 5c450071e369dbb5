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
  type ServiceBase,
} from '@tourkit/kit';
import { createBookingService } from './booking-service.js';
import { createCatalog } from './catalog-client.js';
import { paymentFlowSettings, pricingRulesFrom, type BookingConfig } from './config.js';
import { createPaymentFlow, type PaymentFlow, type PaymentFlowOptions } from './payment/flow.js';
import { bookingRoutes } from './routes.js';

/** The service's OpenAPI document, served at /openapi.yaml (the image copies the whole service folder). */
const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

export interface BookingApp extends ServiceBase {
  app: Express;
  pool: Pool;
  /** Booking ↔ payment (src/payment/flow.ts): the caller starts its worker and background loops. */
  flow: PaymentFlow;
  /** Closed in this order at shutdown: the worker and the loops finish their running job before the pool closes. */
  closers: Closer[];
  close(): Promise<void>;
}

export interface BookingAppOptions {
  logger?: Logger;
  /** Injected so tests can pin "now" (quotes, upcoming window, cancellation, reservation expiry). */
  now?: () => Date;
  /** Runs after each successful charge, before the booking is updated (tests simulate a worker crash there). */
  afterCharge?: PaymentFlowOptions['afterCharge'];
}

/** Builds the booking service (pool, catalog and payment clients, payment flow, routes) without listening or starting background work. */
export function createBookingApp(
  config: BookingConfig,
  options: BookingAppOptions = {},
): BookingApp {
  const base = createServiceBase(config, options);
  const { logger, metrics, health } = base;
  const now = options.now ?? (() => new Date());
  const pool = createServicePool(base, config);
  const internalHeaders = { 'x-internal-token': config.INTERNAL_TOKEN };
  const catalogClient = createServiceClient({
    name: 'catalog',
    baseUrl: config.CATALOG_URL,
    timeoutMs: config.CATALOG_TIMEOUT_MS,
    logger,
    headers: internalHeaders,
  });
  // Not critical: with catalog down, quotes and new bookings fail but listing existing bookings
  // still works, so the pod stays in service and reports DEGRADED.
  registerUpstreamHealth(health, [catalogClient], { critical: false });
  const catalog = createCatalog(catalogClient);
  const flow = createPaymentFlow({
    pool,
    logger,
    metrics,
    health,
    catalog,
    payment: createServiceClient({
      name: 'payment',
      baseUrl: config.PAYMENT_URL,
      timeoutMs: config.PAYMENT_TIMEOUT_MS,
      retries: 0,
      logger,
      headers: internalHeaders,
    }),
    notification: createServiceClient({
      name: 'notification',
      baseUrl: config.NOTIFICATION_URL,
      timeoutMs: config.NOTIFICATION_TIMEOUT_MS,
      retries: 0,
      logger,
      headers: internalHeaders,
    }),
    ...paymentFlowSettings(config),
    now,
    ...(options.afterCharge ? { afterCharge: options.afterCharge } : {}),
  });
  const service = createBookingService({
    pool,
    catalog,
    rules: pricingRulesFrom(config),
    logger,
    now,
    onBookingStatus: flow.onBookingStatus,
    payments: flow,
  });
  const app = createApp({
    ...base,
    bodyLimit: config.BODY_LIMIT,
    openapiPath: OPENAPI_PATH,
    routes: bookingRoutes({
      pool,
      service,
      verifier: tokenVerifierFromConfig(config),
      internalToken: config.INTERNAL_TOKEN,
      defaultCountry: config.DEFAULT_COUNTRY,
      now,
    }),
  });
  const closers: Closer[] = [() => flow.close(), pool];
  return { ...base, app, pool, flow, closers, close: () => closeAll(closers) };
}
