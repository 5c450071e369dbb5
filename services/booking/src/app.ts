import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import type { Logger } from 'pino';
import {
  createApp,
  type HealthRegistry,
  type Pool,
  type ServiceMetrics,
  type TokenVerifier,
} from '@tourkit/kit';
import { createBookingService, type PaymentPort } from './booking-service.js';
import type { Catalog } from './catalog-client.js';
import type { PricingRules } from './pricing/index.js';
import { bookingRoutes } from './routes.js';

/** The service's OpenAPI document, served at /openapi.yaml (the image copies the whole service folder). */
const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

export interface BookingAppDeps {
  logger: Logger;
  metrics: ServiceMetrics;
  health: HealthRegistry;
  pool: Pool;
  catalog: Catalog;
  verifier: TokenVerifier;
  internalToken: string;
  rules: PricingRules;
  defaultCountry: string;
  /** The payment flow (src/payment/flow.ts): queue, circuit breaker, outbox. */
  payments: PaymentPort;
  bodyLimit?: string;
  /** Injected so tests can pin "now" (quotes, upcoming window, cancellation). */
  now?: () => Date;
}

/** The booking service's Express app, without listening. */
export function buildBookingApp(deps: BookingAppDeps): Express {
  const now = deps.now ?? (() => new Date());
  const bookingsByStatus = deps.metrics.counter<'status'>({
    name: 'bookings_total',
    help: 'Bookings created or moved to a status, by status',
    labelNames: ['status'],
  });
  const service = createBookingService({
    pool: deps.pool,
    catalog: deps.catalog,
    rules: deps.rules,
    logger: deps.logger,
    now,
    onBookingStatus: (status) => bookingsByStatus.inc({ status }),
    payments: deps.payments,
  });
  return createApp({
    name: 'booking',
    logger: deps.logger,
    metrics: deps.metrics,
    health: deps.health,
    ...(deps.bodyLimit ? { bodyLimit: deps.bodyLimit } : {}),
    openapiPath: OPENAPI_PATH,
    routes: bookingRoutes({
      pool: deps.pool,
      service,
      verifier: deps.verifier,
      internalToken: deps.internalToken,
      defaultCountry: deps.defaultCountry,
      now,
    }),
  });
}
