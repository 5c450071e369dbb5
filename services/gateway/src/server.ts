import {
  serverOptions,
  startServer,
  type ServerHandle,
  type StartServiceOptions,
} from '@tourkit/kit';
import { createGatewayApp } from './app.js';
import { loadGatewayConfig } from './config.js';

/** Loads the config and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startGateway(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadGatewayConfig(options.environment);
  const gateway = await createGatewayApp(config);
  return startServer(gateway.app, {
    ...serverOptions(config),
    logger: gateway.logger,
    health: gateway.health,
    handleSignals: options.handleSignals ?? true,
    onShutdown: [...gateway.closers, ...(options.onShutdown ?? [])],
  });
}
