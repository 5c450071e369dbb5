import { fileURLToPath } from 'node:url';
import { serveService, type ServerHandle, type StartServiceOptions } from '@tourkit/kit';
import { createUserApp } from './app.js';
import { loadUserConfig } from './config.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/** Loads the config, migrates, and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startUserService(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadUserConfig(options.environment);
  return serveService(createUserApp(config), config, { ...options, migrationsDir: MIGRATIONS_DIR });
}
