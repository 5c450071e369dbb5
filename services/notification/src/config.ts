import { z } from 'zod';
import {
  ConfigError,
  databaseConfigShape,
  defineConfig,
  env,
  internalTokenShape,
  loadConfig,
} from '@tourkit/kit';
import { notificationRetentionShape } from './background/retention.js';

const emailAddress = z.email('must be an e-mail address');

export const notificationConfigSchema = defineConfig({
  SERVICE_NAME: z.string().min(1).default('notification'),
  PORT: env.int(8086, 0, 65535),
  ...databaseConfigShape('postgres://postgres@127.0.0.1:5432/tourkit_notification'),
  REDIS_URL: env.url('redis://127.0.0.1:6379'),
  /** Prefix of the BullMQ keys in Redis, so services (and test files) never share a queue. */
  QUEUE_PREFIX: z.string().min(1).max(100).default('tourkit:notification'),
  /** Run the queue worker and the reminder scheduler in this process (false: API only). */
  NOTIFICATION_WORKER: env.boolean(true),
  WORKER_CONCURRENCY: env.int(5, 1, 100),
  /** Attempts per e-mail before it is marked failed; SMTP failures back off exponentially. */
  SEND_ATTEMPTS: env.int(8, 1, 50),
  SEND_BACKOFF_MS: env.int(1_000, 10, 600_000),
  /** A row in `sending` belongs to its worker until then; must outlast one SMTP exchange. */
  SEND_LEASE_MS: env.int(60_000, 500, 3_600_000),
  /** How long a BullMQ job lock lives without renewal before the job counts as stalled. */
  QUEUE_LOCK_MS: env.int(30_000, 500, 600_000),
  QUEUE_STALLED_INTERVAL_MS: env.int(30_000, 200, 600_000),
  /** Every this often, queued rows without a job and expired `sending` leases are re-enqueued. */
  RECOVERY_INTERVAL_MS: env.int(60_000, 200, 3_600_000),
  // Retention of sent notifications (src/background/retention.ts).
  ...notificationRetentionShape,
  SMTP_URL: env.url('smtp://127.0.0.1:1025'),
  /** Per SMTP stage (connect, greeting, each socket read): keeps a send well inside its lease. */
  SMTP_TIMEOUT_MS: env.int(10_000, 100, 300_000),
  MAIL_FROM: z.string().min(3).default('Tourkit <no-reply@tourkit.dev>'),
  /** Right-hand side of the deterministic Message-ID. */
  MESSAGE_ID_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a domain name')
    .default('notification.tourkit.dev'),
  SUPPORT_EMAIL: emailAddress.default('support@tourkit.dev'),
  USER_URL: env.url('http://127.0.0.1:8082'),
  CATALOG_URL: env.url('http://127.0.0.1:8081'),
  BOOKING_URL: env.url('http://127.0.0.1:8083'),
  UPSTREAM_TIMEOUT_MS: env.int(2_000, 50, 30_000),
  ...internalTokenShape,
  /** Cron pattern of the reminder sweep (bookings starting within REMINDER_WINDOW). */
  REMINDER_CRON: z.string().min(9).default('0 * * * *'),
  REMINDER_WINDOW: z
    .string()
    .regex(/^\d+[mhd]$/, 'must be a duration such as 24h, 90m or 2d')
    .default('24h'),
});

export type NotificationConfig = z.output<typeof notificationConfigSchema>;

export function loadNotificationConfig(
  environment: Record<string, string | undefined> = process.env,
): NotificationConfig {
  const config = loadConfig(notificationConfigSchema, environment);
  // A send still running when its lease ends could be claimed and sent again by another worker.
  if (config.SEND_LEASE_MS < 2 * config.SMTP_TIMEOUT_MS) {
    throw new ConfigError([
      { variable: 'SEND_LEASE_MS', message: 'must be at least twice SMTP_TIMEOUT_MS' },
    ]);
  }
  return config;
}
