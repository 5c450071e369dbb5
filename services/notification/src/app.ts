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
  type ServiceBase,
} from '@tourkit/kit';
import type { NotificationConfig } from './config.js';
import { createDirectory, type Directory } from './directory.js';
import { createSmtpMailer, type Mailer } from './mailer.js';
import { createNotificationMetrics, type NotificationMetrics } from './notification-metrics.js';
import { NotificationStore } from './notification-store.js';
import { Notifications } from './notifications.js';
import { createNotificationQueue } from './queue.js';
import { runReminderSweep, type ReminderSweepResult } from './reminders.js';
import { notificationRoutes } from './routes.js';
import { startNotificationWorker, type NotificationWorker } from './worker.js';

/** The service's OpenAPI document, served at /openapi.yaml (the image copies the whole service folder). */
const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

export interface NotificationService extends ServiceBase {
  app: Express;
  config: NotificationConfig;
  notificationMetrics: NotificationMetrics;
  pool: Pool;
  queue: Queue;
  store: NotificationStore;
  notifications: Notifications;
  directory: Directory;
  mailer: Mailer;
  /** Starts the queue worker, the recovery sweeps and the reminder scheduler in this process. */
  startWorker(): Promise<NotificationWorker>;
  runReminders(): Promise<ReminderSweepResult>;
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
  const notifications = new Notifications({
    store,
    queue,
    metrics: notificationMetrics,
    logger,
    retry: { attempts: config.SEND_ATTEMPTS, backoffMs: config.SEND_BACKOFF_MS },
  });
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
  const runReminders = () =>
    runReminderSweep({ directory, notifications, within: config.REMINDER_WINDOW, logger });

  const app = createApp({
    ...base,
    bodyLimit: config.BODY_LIMIT,
    openapiPath: OPENAPI_PATH,
    routes: notificationRoutes({
      notifications,
      store,
      internalToken: config.INTERNAL_TOKEN,
      runReminders,
    }),
  });

  let worker: NotificationWorker | undefined;
  const closers: Closer[] = [() => worker?.close(), queue, mailer, pool];
  return {
    ...base,
    app,
    config,
    notificationMetrics,
    pool,
    queue,
    store,
    notifications,
    directory,
    mailer,
    runReminders,
    async startWorker() {
      worker ??= await startNotificationWorker({
        store,
        notifications,
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
