import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  HealthRegistry,
  createLogger,
  createMetrics,
  createPool,
  createServiceClient,
  createTokenVerifier,
  initTracing,
  runMigrations,
  runService,
  startServer,
} from '@tourkit/kit';
import { createCatalog } from './catalog-client.js';
import { loadBookingConfig, paymentFlowSettings, pricingRulesFrom } from './config.js';
import { createPaymentFlow } from './payment/flow.js';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));
const demoPromoCodes = fileURLToPath(new URL('../seed/dev-promo-codes.sql', import.meta.url));

await runService(async () => {
  const config = loadBookingConfig();
  const tracing = initTracing(config.SERVICE_NAME);
  // Loaded after tracing starts so that express is instrumented.
  const { buildBookingApp } = await import('./app.js');
  const logger = createLogger(config.SERVICE_NAME, config.LOG_LEVEL);
  const metrics = createMetrics(config.SERVICE_NAME);
  const health = new HealthRegistry();
  if (config.MIGRATE_ON_START) await runMigrations(config.DATABASE_URL, migrationsDir, { logger });
  const pool = createPool(config.DATABASE_URL, { name: 'db', health, logger });
  if (config.SEED_DEMO_DATA) {
    await pool.query(await readFile(demoPromoCodes, 'utf8'));
    logger.info('demo promo codes present');
  }
  const catalogClient = createServiceClient({
    name: 'catalog',
    baseUrl: config.CATALOG_URL,
    timeoutMs: config.CATALOG_TIMEOUT_MS,
    logger,
    headers: { 'x-internal-token': config.INTERNAL_TOKEN },
  });
  // Not critical: with catalog down, quotes and new bookings fail but listing existing bookings
  // still works, so the pod stays in service and reports DEGRADED.
  health.register('catalog', () => catalogClient.request('GET', '/livez', { timeoutMs: 1_000 }), {
    critical: false,
  });
  const catalog = createCatalog(catalogClient);
  const internalHeaders = { 'x-internal-token': config.INTERNAL_TOKEN };
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
  if (config.PAYMENT_WORKER) payments.startWorker();
  payments.startBackground();
  const app = buildBookingApp({
    logger,
    metrics,
    health,
    pool,
    catalog,
    payments,
    verifier: createTokenVerifier({
      publicKeyPem: config.JWT_PUBLIC_KEY,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    }),
    internalToken: config.INTERNAL_TOKEN,
    rules: pricingRulesFrom(config),
    defaultCountry: config.DEFAULT_COUNTRY,
    bodyLimit: config.BODY_LIMIT,
  });
  return startServer(app, {
    port: config.PORT,
    logger,
    health,
    drainSeconds: config.SHUTDOWN_DRAIN_SECONDS,
    shutdownTimeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS,
    // The worker finishes its running job before the pool closes.
    onShutdown: [() => payments.close(), pool, () => tracing.shutdown()],
  });
});
