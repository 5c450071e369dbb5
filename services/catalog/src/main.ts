import { fileURLToPath } from 'node:url';
import { initTracing, runMigrations, runService, startServer } from '@tourkit/kit';
import { loadCatalogConfig } from './config.js';
import { seedDemoCatalog } from './seed/demo-catalog.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

await runService(async () => {
  const config = loadCatalogConfig();
  const tracing = initTracing(config.SERVICE_NAME);
  const { createCatalogApp } = await import('./app.js');
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
    port: config.PORT,
    logger,
    health: catalog.health,
    drainSeconds: config.SHUTDOWN_DRAIN_SECONDS,
    shutdownTimeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS,
    onShutdown: [...catalog.closers, () => tracing.shutdown()],
  });
});
