import { fileURLToPath } from 'node:url';
import {
  HealthRegistry,
  createLogger,
  createMetrics,
  createPool,
  runMigrations,
  serverOptions,
  startServer,
  type StartServiceOptions,
  type ServerHandle,
} from '@tourkit/kit';
import { createUserApp } from './app.js';
import { loadUserConfig } from './config.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/** Loads the config, migrates, and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startUserService(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadUserConfig(options.environment);
  const logger = createLogger(config.SERVICE_NAME, config.LOG_LEVEL);
  const metrics = createMetrics(config.SERVICE_NAME);
  const health = new HealthRegistry();

  if (config.RUN_MIGRATIONS) await runMigrations(config.DATABASE_URL, MIGRATIONS_DIR, { logger });
  const pool = createPool(config.DATABASE_URL, {
    name: 'db',
    max: config.DB_POOL_MAX,
    health,
    logger,
  });

  const app = createUserApp({ config, logger, metrics, health, pool });
  return startServer(app, {
    ...serverOptions(config),
    logger,
    health,
    handleSignals: options.handleSignals ?? true,
    onShutdown: [pool, ...(options.onShutdown ?? [])],
  });
}
