import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { serveService, type ServerHandle, type StartServiceOptions } from '@tourkit/kit';
import { createBookingApp } from './app.js';
import { loadBookingConfig } from './config.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
const DEMO_PROMO_CODES = fileURLToPath(new URL('../demo-data/promo-codes.sql', import.meta.url));

/** Loads the config, migrates, loads the demo data when asked, starts the background runtime and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startBooking(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadBookingConfig(options.environment);
  const booking = createBookingApp(config);
  return serveService(booking, config, {
    ...options,
    migrationsDir: MIGRATIONS_DIR,
    beforeListen: async () => {
      if (config.SEED_DEMO_DATA) {
        await booking.pool.query(await readFile(DEMO_PROMO_CODES, 'utf8'));
        booking.logger.info('demo promo codes present');
      }
      if (config.PAYMENT_WORKER) booking.background.startWorker();
      booking.background.start();
      booking.retention.start();
    },
  });
}
