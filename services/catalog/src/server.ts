import { fileURLToPath } from 'node:url';
import {
  runMigrations,
  serverOptions,
  startServer,
  type StartServiceOptions,
  type ServerHandle,
} from '@tourkit/kit';
import { createCatalogApp } from './app.js';
import { loadCatalogConfig } from './config.js';
import { seedDemoCatalog } from './seed/demo-catalog.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/** Loads the config, migrates, seeds when asked, and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startCatalog(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadCatalogConfig(options.environment);
  const catalog = createCatalogApp(config);
  const { logger } = catalog;
  if (config.RUN_MIGRATIONS) await runMigrations(config.DATABASE_URL, MIGRATIONS_DIR, { logger });
  if (config.SEED_DEMO_DATA) {
    const inserted = await seedDemoCatalog(catalog.primary);
    logger.info(
      { inserted },
      inserted > 0 ? 'demo catalog seeded' : 'catalog not empty; demo seed skipped',
    );
  }
  return startServer(catalog.app, {
    ...serverOptions(config),
    logger,
    health: catalog.health,
    handleSignals: options.handleSignals ?? true,
    onShutdown: [...catalog.closers, ...(options.onShutdown ?? [])],
  });
}
