import { fileURLToPath } from 'node:url';
import { serveService, type ServerHandle, type StartServiceOptions } from '@tourkit/kit';
import { createPaymentApp } from './app.js';
import { loadPaymentConfig } from './config.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/** Loads the config, migrates, starts the reconciler and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startPayment(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadPaymentConfig(options.environment);
  const payment = createPaymentApp(config);
  return serveService(payment, config, {
    ...options,
    migrationsDir: MIGRATIONS_DIR,
    beforeListen: () => {
      payment.logger.info({ provider: config.PAYMENT_PROVIDER }, 'payment provider selected');
      payment.reconciler.start();
    },
  });
}
