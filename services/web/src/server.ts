import { serveService, type ServerHandle, type StartServiceOptions } from '@tourkit/kit';
import { createWebApp } from './app.js';
import { loadWebConfig } from './config.js';

/** Loads the config and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startWeb(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadWebConfig(options.environment);
  return serveService(createWebApp(config), config, options);
}
