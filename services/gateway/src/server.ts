import { serveService, type ServerHandle, type StartServiceOptions } from '@tourkit/kit';
import { createGatewayApp } from './app.js';
import { loadGatewayConfig } from './config.js';

/** Loads the config and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startGateway(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadGatewayConfig(options.environment);
  return serveService(await createGatewayApp(config), config, options);
}
