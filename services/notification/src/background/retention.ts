import type { Logger } from 'pino';
import {
  createRetentionSweep,
  env,
  retentionConfigShape,
  type Pool,
  type RetentionRule,
  type RetentionSweep,
  type ServiceMetrics,
} from '@tourkit/kit';

const DAY_MS = 86_400_000;

/** Notification's retention variables (config.ts spreads them), validated at start-up like the others. */
export const notificationRetentionShape = {
  ...retentionConfigShape,
  /**
   * Sent notifications are kept this long, then pruned. While a row exists its dedupe key refuses a
   * second send of the same e-mail; senders ask again within minutes or hours, never months, so the
   * default leaves a wide margin.
   */
  RETENTION_NOTIFICATIONS_SENT_DAYS: env.int(90, 7, 3_650),
};

/**
 * What notification prunes: sent rows only. Queued and sending rows are work in progress; failed ones
 * wait for a person (the support alert names them).
 */
export function notificationRetentionRules(settings: {
  RETENTION_NOTIFICATIONS_SENT_DAYS: number;
}): RetentionRule[] {
  return [
    {
      name: 'notifications-sent',
      table: 'notifications',
      ageColumn: 'sent_at',
      where: "status = 'sent'",
      olderThanMs: settings.RETENTION_NOTIFICATIONS_SENT_DAYS * DAY_MS,
    },
  ];
}

export interface NotificationRetentionParts {
  pool: Pool;
  config: {
    RETENTION_NOTIFICATIONS_SENT_DAYS: number;
    RETENTION_SWEEP_INTERVAL_SECONDS: number;
    RETENTION_BATCH_SIZE: number;
    RETENTION_MAX_BATCHES: number;
  };
  logger: Logger;
  metrics: ServiceMetrics;
}

/**
 * Notification's retention sweep (app.ts builds it, server.ts starts it, the closers stop it). Its
 * queue needs none: e-mail jobs are removed when they finish (src/background/queue.ts) and the
 * reminder job keeps at most 50 failures.
 */
export function createNotificationRetention(parts: NotificationRetentionParts): RetentionSweep {
  return createRetentionSweep({
    pool: parts.pool,
    rules: notificationRetentionRules(parts.config),
    config: parts.config,
    logger: parts.logger,
    metrics: parts.metrics,
  });
}
