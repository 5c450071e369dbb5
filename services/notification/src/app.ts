import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import type { Queue } from 'bullmq';
import {
  closeAll,
  createApp,
  createServiceBase,
  createServiceClient,
  createServicePool,
  type Closer,
  type Logger,
  type Pool,
  type RetentionSweep,
  type ServiceBase,
} from '@tourkit/kit';
import type { NotificationConfig } from './config.js';
import {
  createNotificationMetrics,
  type NotificationMetrics,
} from './background/notification-metrics.js';
import { createNotificationQueue } from './background/queue.js';
import { createNotificationRetention } from './background/retention.js';
import { startNotificationWorker, type NotificationWorker } from './background/worker.js';
import { createDirectory, type Directory } from './clients/directory.js';
import { createSmtpMailer, type Mailer } from './clients/mailer.js';
import { notificationRoutes } from './http/routes.js';
import { NotificationStore } from './store/notifications.js';
import type { NotificationContext } from './use-cases/context.js';
import { runReminderSweep, type ReminderSweepResult } from './use-cases/run-reminder-sweep.js';

/** The service's OpenAPI document, served at /openapi.yaml (the image copies the whole service folder). */
const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

export interface NotificationService extends ServiceBase {
  app: Express;
  config: NotificationConfig;
  notificationMetrics: NotificationMetrics;
  pool: Pool;
  queue: Queue;
  store: NotificationStore;
  /** What the use cases work with (store, queue, directory, metrics). */
  ctx: NotificationContext;
  directory: Directory;
  mailer: Mailer;
  /** Starts the queue worker, the recovery sweeps and the reminder scheduler in this process. */
  startWorker(): Promise<NotificationWorker>;
  runReminders(): Promise<ReminderSweepResult>;
  /** Prunes sent notifications past their retention: server.ts starts it. */
  retention: RetentionSweep;
  /** The worker (when started; it finishes its in-flight sends), the queue, the mailer, then the pool. */
  closers: Closer[];
  close(): Promise<void>;
}

/** Builds the notification service (pool, queue, clients, routes) without listening. */
export function buildNotificationApp(
  config: NotificationConfig,
  options: { logger?: Logger; mailer?: Mailer } = {},
): NotificationService {
  const base = createServiceBase(config, options);
  const { logger, metrics, health } = base;
  const pool = createServicePool(base, config);
  const queue = createNotificationQueue({
    redisUrl: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
  });
  queue.on('error', (error) => logger.warn({ err: error }, 'queue connection error'));
  health.register(
    'redis',
    async () => {
      await queue.getJobCounts('waiting');
    },
    { critical: true },
  );
  const mailer =
    options.mailer ??
    createSmtpMailer({
      url: config.SMTP_URL,
      from: config.MAIL_FROM,
      timeoutMs: config.SMTP_TIMEOUT_MS,
    });
  // Not critical: without SMTP the API still accepts notifications; they wait in the queue.
  health.register('smtp', () => mailer.verify(), { critical: false });

  const notificationMetrics = createNotificationMetrics(metrics, queue);
  const store = new NotificationStore(pool);
  const clientOptions = {
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    logger,
    headers: { 'x-internal-token': config.INTERNAL_TOKEN },
  };
  const directory = createDirectory({
    user: createServiceClient({ name: 'user', baseUrl: config.USER_URL, ...clientOptions }),
    catalog: createServiceClient({
      name: 'catalog',
      baseUrl: config.CATALOG_URL,
      ...clientOptions,
    }),
    booking: createServiceClient({
      name: 'booking',
      baseUrl: config.BOOKING_URL,
      ...clientOptions,
    }),
  });
  const ctx: NotificationContext = {
    store,
    queue,
    directory,
    metrics: notificationMetrics,
    logger,
    retry: { attempts: config.SEND_ATTEMPTS, backoffMs: config.SEND_BACKOFF_MS },
  };
  const runReminders = () => runReminderSweep(ctx, config.REMINDER_WINDOW);

  const app = createApp({
    ...base,
    bodyLimit: config.BODY_LIMIT,
    openapiPath: OPENAPI_PATH,
    routes: notificationRoutes({
      ctx,
      internalToken: config.INTERNAL_TOKEN,
      reminderWindow: config.REMINDER_WINDOW,
    }),
  });

  let worker: NotificationWorker | undefined;
  const retention = createNotificationRetention({ pool, config, logger, metrics });
  const closers: Closer[] = [() => retention.stop(), () => worker?.close(), queue, mailer, pool];
  return {
    ...base,
    app,
    config,
    notificationMetrics,
    pool,
    queue,
    store,
    ctx,
    directory,
    mailer,
    runReminders,
    retention,
    async startWorker() {
      worker ??= await startNotificationWorker({
        ctx,
        store,
        directory,
        mailer,
        metrics: notificationMetrics,
        logger,
        queue,
        settings: {
          redisUrl: config.REDIS_URL,
          queuePrefix: config.QUEUE_PREFIX,
          concurrency: config.WORKER_CONCURRENCY,
          leaseMs: config.SEND_LEASE_MS,
          lockMs: config.QUEUE_LOCK_MS,
          stalledIntervalMs: config.QUEUE_STALLED_INTERVAL_MS,
          recoveryIntervalMs: config.RECOVERY_INTERVAL_MS,
          messageIdDomain: config.MESSAGE_ID_DOMAIN,
          supportEmail: config.SUPPORT_EMAIL,
          reminderCron: config.REMINDER_CRON,
          reminderWindow: config.REMINDER_WINDOW,
        },
      });
      return worker;
    },
    closers,
    close: () => closeAll(closers),
  };
}
