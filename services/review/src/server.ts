import { fileURLToPath } from 'node:url';
import { serveService, type ServerHandle, type StartServiceOptions } from '@tourkit/kit';
import { createReviewApp } from './app.js';
import { loadReviewConfig } from './config.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/** Loads the config, migrates, starts the outbox relay and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startReview(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadReviewConfig(options.environment);
  const review = createReviewApp(config);
  return serveService(review, config, {
    ...options,
    migrationsDir: MIGRATIONS_DIR,
    beforeListen: () => review.outbox.start(),
  });
}
