import { fileURLToPath } from 'node:url';
import { serveService, type ServerHandle, type StartServiceOptions } from '@tourkit/kit';
import { createCatalogApp } from './app.js';
import { loadCatalogConfig } from './config.js';
import { loadDemoData } from './use-cases/load-demo-data.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/** Loads the config, migrates, loads the demo data when asked, and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startCatalog(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadCatalogConfig(options.environment);
  const catalog = createCatalogApp(config);
  return serveService(catalog, config, {
    ...options,
    migrationsDir: MIGRATIONS_DIR,
    beforeListen: async () => {
      if (config.OUTBOX_RELAY) catalog.outbox.start();
      if (!config.SEED_DEMO_DATA) return;
      const inserted = await loadDemoData(catalog.primary);
      catalog.logger.info(
        { inserted },
        inserted > 0 ? 'demo tours loaded' : 'catalog not empty; demo data skipped',
      );
    },
  });
}
