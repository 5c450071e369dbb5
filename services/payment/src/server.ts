import { fileURLToPath } from 'node:url';
import {
  runMigrations,
  serverOptions,
  startServer,
  type ServerHandle,
  type StartServiceOptions,
} from '@tourkit/kit';
import { createPaymentApp } from './app.js';
import { loadPaymentConfig } from './config.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/** Loads the config, migrates, and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startPayment(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadPaymentConfig(options.environment);
  const payment = createPaymentApp(config);
  const { logger } = payment;
  if (config.RUN_MIGRATIONS) await runMigrations(config.DATABASE_URL, MIGRATIONS_DIR, { logger });
  logger.info({ provider: config.PAYMENT_PROVIDER }, 'payment provider selected');
  return startServer(payment.app, {
    ...serverOptions(config),
    logger,
    health: payment.health,
    handleSignals: options.handleSignals ?? true,
    onShutdown: [...payment.closers, ...(options.onShutdown ?? [])],
  });
}
