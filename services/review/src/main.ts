import { fileURLToPath } from 'node:url';
import { initTracing } from '@tourkit/kit/tracing';

// Tracing first: it patches express, pg and ioredis only if they load after it.
const tracing = initTracing(process.env.SERVICE_NAME ?? 'review');
const { runMigrations, runService, startServer } = await import('@tourkit/kit');
const { loadReviewConfig } = await import('./config.js');
const { createReviewApp } = await import('./app.js');

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

await runService(async () => {
  const config = loadReviewConfig();
  const review = createReviewApp(config);
  const { logger } = review;
  if (config.RUN_MIGRATIONS) await runMigrations(config.DATABASE_URL, MIGRATIONS_DIR, { logger });
  review.outbox.start();
  return startServer(review.app, {
    port: config.PORT,
    logger,
    health: review.health,
    drainSeconds: config.SHUTDOWN_DRAIN_SECONDS,
    shutdownTimeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS,
    onShutdown: [...review.closers, () => tracing.shutdown()],
  });
});
