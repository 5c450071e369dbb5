import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  createServiceBase,
  createServiceClient,
  createServicePool,
  registerUpstreamHealth,
  serveService,
  tokenVerifierFromConfig,
  type ServerHandle,
  type StartServiceOptions,
} from '@tourkit/kit';
import { buildBookingApp } from './app.js';
import { createCatalog } from './catalog-client.js';
import { loadBookingConfig, paymentFlowSettings, pricingRulesFrom } from './config.js';
import { createPaymentFlow } from './payment/flow.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
const DEMO_PROMO_CODES = fileURLToPath(new URL('../seed/dev-promo-codes.sql', import.meta.url));

/** Loads the config, migrates, seeds when asked, starts the payment flow and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startBooking(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadBookingConfig(options.environment);
  const base = createServiceBase(config);
  const { logger, metrics, health } = base;
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
  const payments = createPaymentFlow({
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
  });
  const app = buildBookingApp({
    logger,
    metrics,
    health,
    pool,
    catalog,
    payments,
    verifier: tokenVerifierFromConfig(config),
    internalToken: config.INTERNAL_TOKEN,
    rules: pricingRulesFrom(config),
    defaultCountry: config.DEFAULT_COUNTRY,
    bodyLimit: config.BODY_LIMIT,
  });
  return serveService(
    // The worker and the background loops finish their running job before the pool closes.
    { app, logger, health, closers: [() => payments.close(), pool] },
    config,
    {
      ...options,
      migrationsDir: MIGRATIONS_DIR,
      beforeListen: async () => {
        if (config.SEED_DEMO_DATA) {
          await pool.query(await readFile(DEMO_PROMO_CODES, 'utf8'));
          logger.info('demo promo codes present');
        }
        if (config.PAYMENT_WORKER) payments.startWorker();
        payments.startBackground();
      },
    },
  );
}
