import { fileURLToPath } from 'node:url';
import { serveService, type ServerHandle, type StartServiceOptions } from '@tourkit/kit';
import { buildNotificationApp } from './app.js';
import { loadNotificationConfig } from './config.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/** Loads the config, migrates, starts the worker when asked, and serves until SIGTERM. Throws ConfigError naming a bad variable. */
export async function startNotification(options: StartServiceOptions = {}): Promise<ServerHandle> {
  const config = loadNotificationConfig(options.environment);
  const service = buildNotificationApp(config);
  return serveService(service, config, {
    ...options,
    migrationsDir: MIGRATIONS_DIR,
    beforeListen: async () => {
      if (config.NOTIFICATION_WORKER) await service.startWorker();
      service.retention.start();
    },
  });
}
