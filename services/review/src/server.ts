import { fileURLToPath } from 'node:url';
import {
  runMigrations,
  serverOptions,
  startServer,
  type ServerHandle,
  type StartServiceOptions,
} from '@tourkit/kit';
import { createReviewApp } from './app.js';
import { loadReviewConfig } from './config.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/** Loads the config, migrates, starts the outbox relay and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startReview(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadReviewConfig(options.environment);
  const review = createReviewApp(config);
  const { logger } = review;
  if (config.RUN_MIGRATIONS) await runMigrations(config.DATABASE_URL, MIGRATIONS_DIR, { logger });
  review.outbox.start();
  return startServer(review.app, {
    ...serverOptions(config),
    logger,
    health: review.health,
    handleSignals: options.handleSignals ?? true,
    onShutdown: [...review.closers, ...(options.onShutdown ?? [])],
  });
}
