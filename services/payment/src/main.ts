import { fileURLToPath } from 'node:url';
import { initTracing } from '@tourkit/kit/tracing';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

const tracing = initTracing(process.env.SERVICE_NAME ?? 'payment');
// Loaded after tracing starts so that express, pg and ioredis are instrumented.
const { runService, startServer, runMigrations } = await import('@tourkit/kit');
const { loadPaymentConfig } = await import('./config.js');
const { createPaymentApp } = await import('./app.js');

await runService(async () => {
  const config = loadPaymentConfig();
  const payment = createPaymentApp(config);
  const { logger } = payment;
  if (config.RUN_MIGRATIONS) await runMigrations(config.DATABASE_URL, MIGRATIONS_DIR, { logger });
  logger.info({ provider: config.PAYMENT_PROVIDER }, 'payment provider selected');
  return startServer(payment.app, {
    port: config.PORT,
    logger,
    health: payment.health,
    drainSeconds: config.SHUTDOWN_DRAIN_SECONDS,
    shutdownTimeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS,
    onShutdown: [...payment.closers, () => tracing.shutdown()],
  });
});
