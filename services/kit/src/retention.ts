import type { Logger } from 'pino';
import { z } from 'zod';
import type { Pool } from './db.js';
import type { ServiceMetrics } from './metrics.js';

/**
 * Rows that have outlived their use: those of `table` whose `ageColumn` is more than `olderThanMs`
 * in the past and for which `where` holds (e.g. a delivered outbox row). `table`, `ageColumn` and
 * `where` are trusted SQL from the service's code, never input.
 */
export interface RetentionRule {
  /** Names the rule in logs and in the `retention_deleted_rows_total{rule}` metric. */
  name: string;
  table: string;
  /** A timestamptz column: the age is measured by the database's clock. */
  ageColumn: string;
  olderThanMs: number;
  /** Which rows may go at all (default: every row old enough). */
  where?: string;
}

/**
 * A finished-job store that can be cleaned (a BullMQ Queue is one, structurally: the kit needs no
 * BullMQ): its finished jobs are kept to at most `keep` of each kind, the oldest removed first.
 */
export interface CleanableQueue {
  readonly name: string;
  getJobCounts(...types: Array<'completed' | 'failed'>): Promise<Record<string, number>>;
  clean(grace: number, limit: number, type: 'completed' | 'failed'): Promise<string[]>;
}

export interface QueueRetention {
  queue: CleanableQueue;
  /** Completed jobs kept at most (the newest). */
  keepCompleted: number;
  /** Failed jobs kept at most (the newest): enough for a person to read why. */
  keepFailed: number;
  /**
   * A finished job younger than this stays whatever the count: while it exists, enqueueing the same
   * job id again is a no-op, so a burst cannot reopen a job that just finished.
   */
  minAgeMs: number;
}

/**
 * The retention variables every service with a sweep understands; its own ages come on top. A bad
 * value stops the process at start-up naming the variable, like every other.
 */
export const retentionConfigShape = {
  /** How often the sweep runs; 0 turns it off. */
  RETENTION_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(604_800).default(3_600),
  /** Rows one DELETE removes at most: each batch is its own short statement, so a backlog never holds long locks. */
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1_000),
  /** Batches one sweep runs per rule at most; the rest waits for the next sweep. */
  RETENTION_MAX_BATCHES: z.coerce.number().int().min(1).max(10_000).default(100),
};

export type RetentionConfig = z.output<z.ZodObject<typeof retentionConfigShape>>;

/**
 * The DELETE of one batch of a rule: at most `batchSize` rows, picked by ctid (so a table needs no
 * particular key) with SKIP LOCKED (a row a relay or another replica's sweep holds is left for later).
 * `ctid = ANY(ARRAY(...))` makes it a TID scan: the outer DELETE never scans the table.
 */
export function retentionBatchSql(
  rule: RetentionRule,
  batchSize: number,
): { text: string; values: [number, number] } {
  const where = rule.where ? ` AND (${rule.where})` : '';
  return {
    text:
      `DELETE FROM ${rule.table} WHERE ctid = ANY (ARRAY(` +
      `SELECT ctid FROM ${rule.table}` +
      ` WHERE ${rule.ageColumn} < now() - make_interval(secs => $1::double precision / 1000)${where}` +
      ` LIMIT $2 FOR UPDATE SKIP LOCKED))`,
    values: [rule.olderThanMs, batchSize],
  };
}

/** Deletes a rule's rows batch by batch until none is left or `maxBatches` ran; returns how many went. */
export async function pruneRule(
  pool: Pool,
  rule: RetentionRule,
  options: { batchSize: number; maxBatches: number },
): Promise<number> {
  const { text, values } = retentionBatchSql(rule, options.batchSize);
  let deleted = 0;
  for (let batch = 0; batch < options.maxBatches; batch += 1) {
    const { rowCount } = await pool.query(text, values);
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < options.batchSize) break;
  }
  return deleted;
}

/** Removes a queue's oldest finished jobs beyond what it keeps; returns how many of each went. */
export async function trimFinishedJobs(
  retention: QueueRetention,
): Promise<{ completed: number; failed: number }> {
  const { queue } = retention;
  const counts = await queue.getJobCounts('completed', 'failed');
  const removed = { completed: 0, failed: 0 };
  for (const [type, keep] of [
    ['completed', retention.keepCompleted],
    ['failed', retention.keepFailed],
  ] as const) {
    const excess = (counts[type] ?? 0) - keep;
    // Only jobs finished more than minAgeMs ago, oldest first, so the newest `keep` stay.
    if (excess > 0) removed[type] = (await queue.clean(retention.minAgeMs, excess, type)).length;
  }
  return removed;
}

export interface RetentionSweepOptions {
  pool: Pool;
  rules: readonly RetentionRule[];
  queues?: readonly QueueRetention[];
  config: RetentionConfig;
  logger: Logger;
  metrics?: ServiceMetrics;
}

export interface RetentionSweep {
  /** Runs every RETENTION_SWEEP_INTERVAL_SECONDS (never when it is 0), the first run one interval after start. */
  start(): void;
  /** One sweep now (waits for one in progress instead of overlapping it); rows and jobs removed, by rule. */
  runOnce(): Promise<Record<string, number>>;
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/**
 * Prunes, on a schedule, what a service keeps only for a while: delivered outbox rows, idempotency
 * keys past their use, finished queue jobs. Every replica may run it: batches skip locked rows, and a
 * row deleted twice is deleted once.
 */
export function createRetentionSweep(options: RetentionSweepOptions): RetentionSweep {
  const { pool, rules, config, logger } = options;
  const queues = options.queues ?? [];
  const deletedTotal = options.metrics?.counter<'rule'>({
    name: 'retention_deleted_rows_total',
    help: 'Rows (and finished queue jobs) the retention sweep removed, by rule',
    labelNames: ['rule'],
  });
  const failures = options.metrics?.counter<'rule'>({
    name: 'retention_sweep_failures_total',
    help: 'Retention rules whose sweep failed (retried at the next sweep), by rule',
    labelNames: ['rule'],
  });
  const limits = {
    batchSize: config.RETENTION_BATCH_SIZE,
    maxBatches: config.RETENTION_MAX_BATCHES,
  };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<Record<string, number>> | undefined;

  async function sweep(): Promise<Record<string, number>> {
    const removed: Record<string, number> = {};
    const record = (rule: string, count: number) => {
      removed[rule] = count;
      if (count > 0) deletedTotal?.inc({ rule }, count);
    };
    // One rule failing (a table locked, Redis away) does not keep the others from running.
    const attempt = async (rule: string, task: () => Promise<void>) => {
      try {
        await task();
      } catch (error) {
        failures?.inc({ rule });
        logger.warn({ err: error, rule }, 'retention sweep failed; retried at the next sweep');
      }
    };
    for (const rule of rules)
      await attempt(rule.name, async () => record(rule.name, await pruneRule(pool, rule, limits)));
    for (const retention of queues)
      await attempt(`queue:${retention.queue.name}`, async () => {
        const { completed, failed } = await trimFinishedJobs(retention);
        record(`queue:${retention.queue.name}:completed`, completed);
        record(`queue:${retention.queue.name}:failed`, failed);
      });
    const total = Object.values(removed).reduce((sum, n) => sum + n, 0);
    if (total > 0) logger.info({ removed }, 'retention sweep removed old rows and jobs');
    return removed;
  }

  function runOnce(): Promise<Record<string, number>> {
    running ??= sweep().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    start() {
      const intervalMs = config.RETENTION_SWEEP_INTERVAL_SECONDS * 1000;
      if (timer || intervalMs === 0) return;
      timer = setInterval(() => void runOnce(), intervalMs);
      timer.unref();
    },
    runOnce,
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
