import { fileURLToPath } from 'node:url';
import { serveService, type ServerHandle, type StartServiceOptions } from '@tourkit/kit';
import { createCatalogApp } from './app.js';
import { loadCatalogConfig } from './config.js';
import { seedDemoCatalog } from './seed/demo-catalog.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/** Loads the config, migrates, seeds when asked, and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startCatalog(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadCatalogConfig(options.environment);
  const catalog = createCatalogApp(config);
  return serveService(catalog, config, {
    ...options,
    migrationsDir: MIGRATIONS_DIR,
    beforeListen: async () => {
      if (!config.SEED_DEMO_DATA) return;
      const inserted = await seedDemoCatalog(catalog.primary);
      catalog.logger.info(
        { inserted },
        inserted > 0 ? 'demo catalog seeded' : 'catalog not empty; demo seed skipped',
      );
    },
  });
}
