// Tracing starts before express, pg and ioredis load (they are patched when loaded), so this
// module imports only the kit's tracing entry and loads everything else with await import().
import { initTracing } from '@tourkit/kit/tracing';

const tracing = initTracing(process.env.SERVICE_NAME || 'notification');
const { runMigrations, runService, startServer } = await import('@tourkit/kit');
const { fileURLToPath } = await import('node:url');
const { loadNotificationConfig } = await import('./config.js');
const { buildNotificationApp } = await import('./app.js');

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

await runService(async () => {
  const config = loadNotificationConfig();
  const service = buildNotificationApp(config);
  const { logger } = service;
  if (config.MIGRATE_ON_START) await runMigrations(config.DATABASE_URL, MIGRATIONS_DIR, { logger });
  if (config.NOTIFICATION_WORKER) await service.startWorker();
  return startServer(service.app, {
    port: config.PORT,
    logger,
    health: service.health,
    drainSeconds: config.SHUTDOWN_DRAIN_SECONDS,
    shutdownTimeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS,
    // The worker finishes its in-flight sends (worker.close waits) before the pool closes.
    onShutdown: [() => service.close(), () => tracing.shutdown()],
  });
});
