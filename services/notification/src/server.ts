import { fileURLToPath } from 'node:url';
import {
  runMigrations,
  serverOptions,
  startServer,
  type ServerHandle,
  type StartServiceOptions,
} from '@tourkit/kit';
import { buildNotificationApp } from './app.js';
import { loadNotificationConfig } from './config.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/** Loads the config, migrates, starts the worker when asked, and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startNotification(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadNotificationConfig(options.environment);
  const service = buildNotificationApp(config);
  const { logger } = service;
  if (config.RUN_MIGRATIONS) await runMigrations(config.DATABASE_URL, MIGRATIONS_DIR, { logger });
  if (config.NOTIFICATION_WORKER) await service.startWorker();
  return startServer(service.app, {
    ...serverOptions(config),
    logger,
    health: service.health,
    handleSignals: options.handleSignals ?? true,
    // The worker finishes its in-flight sends (worker.close waits) before the pool closes.
    onShutdown: [() => service.close(), ...(options.onShutdown ?? [])],
  });
}
