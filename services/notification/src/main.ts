import { fileURLToPath } from 'node:url';
import { initTracing, runMigrations, runService, startServer } from '@tourkit/kit';
import { loadNotificationConfig } from './config.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

await runService(async () => {
  const config = loadNotificationConfig();
  const tracing = initTracing(config.SERVICE_NAME);
  // Loaded after tracing starts so that express, pg and ioredis are instrumented.
  const { buildNotificationApp } = await import('./app.js');
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
