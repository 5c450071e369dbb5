import type { Logger, Pool, ServiceMetrics } from '@tourkit/kit';
import { outboxBackoffMs } from './domain/backoff.js';

export type OutboxKind = 'catalog-rating' | 'operator-notification';

export interface OutboxEntry {
  id: string;
  kind: OutboxKind;
  payload: Record<string, unknown>;
  attempts: number;
}

/** Delivers one entry; resolves when the other service accepted it, throws otherwise. */
export type OutboxHandler = (entry: OutboxEntry) => Promise<void>;

/** Thrown by a handler when retrying cannot help (e.g. the other service answers 4xx): the entry is parked. */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}

export interface OutboxRelayOptions {
  pool: Pool;
  handlers: Record<OutboxKind, OutboxHandler>;
  logger: Logger;
  metrics: ServiceMetrics;
  pollMs: number;
  retryBaseMs: number;
  maxBackoffMs: number;
  /** How long a claimed entry stays invisible to other replicas; if the process dies, it is retried after. */
  leaseMs?: number;
  batchSize?: number;
}

/**
 * Drains the outbox: claims due entries (SKIP LOCKED, so replicas share the work), delivers them,
 * deletes the delivered ones and reschedules failures with exponential backoff. Delivery is
 * at-least-once; the receivers make it harmless (PUT of the whole rating, notification dedupeKey).
 */
export class OutboxRelay {
  private readonly options: Required<OutboxRelayOptions>;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private kicked = false;
  private readonly deliveries;

  constructor(options: OutboxRelayOptions) {
    this.options = { leaseMs: 60_000, batchSize: 20, ...options };
    this.deliveries = options.metrics.counter<'kind' | 'result'>({
      name: 'review_outbox_deliveries_total',
      help: 'Outbox delivery attempts, by kind and result (delivered, retry, parked)',
      labelNames: ['kind', 'result'],
    });
    const pool = options.pool;
    options.metrics.gauge({
      name: 'review_outbox_pending',
      help: 'Outbox entries not delivered yet (parked ones included)',
      async collect() {
        const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
        this.set(rows[0]!.n);
      },
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes the loop now (after a review is written) instead of at the next poll. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  async close(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** One pass: claims and delivers up to one batch of due entries; returns how many it claimed. */
  async drainOnce(): Promise<number> {
    const entries = await this.claim();
    for (const entry of entries) await this.deliver(entry);
    return entries.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.kicked = false;
      let claimed = 0;
      try {
        claimed = await this.drainOnce();
      } catch (error) {
        this.options.logger.warn({ err: error }, 'outbox pass failed; retrying at next poll');
      }
      if (!this.running) break;
      if (claimed < this.options.batchSize && !this.kicked) await this.sleep(this.options.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async claim(): Promise<OutboxEntry[]> {
    const { rows } = await this.options.pool.query<OutboxEntry>(
      `UPDATE outbox
          SET attempts = attempts + 1,
              next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
        WHERE id IN (SELECT id FROM outbox WHERE next_attempt_at <= now()
                      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id::text, kind, payload, attempts`,
      [this.options.batchSize, this.options.leaseMs],
    );
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    const { pool, logger } = this.options;
    try {
      await this.options.handlers[entry.kind](entry);
      await pool.query('DELETE FROM outbox WHERE id = $1', [entry.id]);
      this.deliveries.inc({ kind: entry.kind, result: 'delivered' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof PermanentDeliveryError) {
        // Parked, not deleted: it stays visible (review_outbox_pending, last_error) for a person to fix.
        await pool.query(
          `UPDATE outbox SET next_attempt_at = 'infinity', last_error = $2 WHERE id = $1`,
          [entry.id, message],
        );
        this.deliveries.inc({ kind: entry.kind, result: 'parked' });
        logger.error({ err: error, outboxId: entry.id, kind: entry.kind }, 'outbox entry parked');
        return;
      }
      const delayMs = outboxBackoffMs(
        entry.attempts,
        this.options.retryBaseMs,
        this.options.maxBackoffMs,
      );
      await pool.query(
        `UPDATE outbox SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000),
                           last_error = $3 WHERE id = $1`,
        [entry.id, delayMs, message],
      );
      this.deliveries.inc({ kind: entry.kind, result: 'retry' });
      logger.warn(
        { outboxId: entry.id, kind: entry.kind, attempts: entry.attempts, delayMs, error: message },
        'outbox delivery failed; will retry',
      );
    }
  }
}
