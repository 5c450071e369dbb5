import type { Queue } from 'bullmq';
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

const HOUR_MS = 3_600_000;

/** Booking's retention variables (config.ts spreads them), validated at start-up like the others. */
export const bookingRetentionShape = {
  ...retentionConfigShape,
  /**
   * Delivered outbox rows (e-mails asked for, seats released, refunds asked for) kept as a record
   * this long. Their receivers deduplicate on their own keys, so an old row gone never repeats an effect.
   */
  RETENTION_OUTBOX_DELIVERED_DAYS: env.int(30, 1, 3_650),
  /**
   * Idempotency keys replay the first answer to a retried POST /v1/bookings for this long; at least a
   * day, so a client's retries are always within it.
   */
  RETENTION_IDEMPOTENCY_KEY_HOURS: env.int(168, 24, 87_600),
  /** Finished payment jobs kept in Redis (the newest), completed and failed each. */
  RETENTION_PAYMENT_JOBS_COMPLETED: env.int(1_000, 0, 1_000_000),
  RETENTION_PAYMENT_JOBS_FAILED: env.int(1_000, 0, 1_000_000),
};

export interface BookingRetentionSettings {
  RETENTION_OUTBOX_DELIVERED_DAYS: number;
  RETENTION_IDEMPOTENCY_KEY_HOURS: number;
}

/**
 * What booking prunes: delivered outbox rows (an undelivered or parked one stays until a person or the
 * relay settles it) and idempotency keys past their replay window.
 */
export function bookingRetentionRules(settings: BookingRetentionSettings): RetentionRule[] {
  return [
    {
      name: 'outbox-delivered',
      table: 'outbox',
      ageColumn: 'delivered_at',
      where: 'delivered_at IS NOT NULL',
      olderThanMs: settings.RETENTION_OUTBOX_DELIVERED_DAYS * 24 * HOUR_MS,
    },
    {
      name: 'idempotency-keys',
      table: 'idempotency_keys',
      ageColumn: 'created_at',
      olderThanMs: settings.RETENTION_IDEMPOTENCY_KEY_HOURS * HOUR_MS,
    },
  ];
}

export interface BookingRetentionParts {
  pool: Pool;
  /** The payment queue: its finished jobs are trimmed to the newest kept. */
  queue: Pick<Queue, 'name' | 'getJobCounts' | 'clean'>;
  config: BookingRetentionSettings & {
    RETENTION_SWEEP_INTERVAL_SECONDS: number;
    RETENTION_BATCH_SIZE: number;
    RETENTION_MAX_BATCHES: number;
    RETENTION_PAYMENT_JOBS_COMPLETED: number;
    RETENTION_PAYMENT_JOBS_FAILED: number;
  };
  logger: Logger;
  metrics: ServiceMetrics;
  /**
   * A finished job younger than this stays (default an hour): a job id is the booking id, so while the
   * job exists a late re-enqueue of the same booking is a no-op.
   */
  jobMinAgeMs?: number;
}

/** Booking's retention sweep (app.ts builds it, server.ts starts it, the closers stop it). */
export function createBookingRetention(parts: BookingRetentionParts): RetentionSweep {
  const { config } = parts;
  return createRetentionSweep({
    pool: parts.pool,
    rules: bookingRetentionRules(config),
    queues: [
      {
        queue: parts.queue,
        keepCompleted: config.RETENTION_PAYMENT_JOBS_COMPLETED,
        keepFailed: config.RETENTION_PAYMENT_JOBS_FAILED,
        minAgeMs: parts.jobMinAgeMs ?? HOUR_MS,
      },
    ],
    config,
    logger: parts.logger,
    metrics: parts.metrics,
  });
}
