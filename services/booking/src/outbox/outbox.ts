import type { Logger } from 'pino';
import { withTransaction, type Pool } from '@tourkit/kit';
import type { Queryable } from '../repository/queryable.js';
import { outboxRetryDelayMs, type OutboxMessage } from './messages.js';

/** Records a side effect in the caller's transaction; the same dedupeKey is recorded once. */
export async function addToOutbox(db: Queryable, message: OutboxMessage): Promise<void> {
  await db.query(
    `INSERT INTO outbox (kind, dedupe_key, payload) VALUES ($1, $2, $3)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [message.kind, message.dedupeKey, JSON.stringify(message.payload)],
  );
}

/** A receiver's refusal that retrying cannot change (e.g. a 4xx): the message is set aside. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

export type OutboxHandlers = {
  [K in OutboxMessage['kind']]: (
    payload: Extract<OutboxMessage, { kind: K }>['payload'],
  ) => Promise<void>;
};

export interface OutboxRelayOptions {
  pool: Pool;
  handlers: OutboxHandlers;
  logger: Logger;
  intervalMs: number;
  retryBaseMs: number;
  batchSize?: number;
}

interface OutboxRow {
  id: string;
  kind: OutboxMessage['kind'];
  dedupe_key: string;
  payload: never;
  attempts: number;
}

/**
 * Delivers outbox messages: each one in its own short transaction that locks it (SKIP LOCKED, so
 * several replicas share the work), calls its handler and marks it delivered, or schedules the
 * next attempt with a doubling delay. `wake()` delivers at once instead of at the next tick.
 */
export function createOutboxRelay(options: OutboxRelayOptions) {
  const { pool, handlers, logger } = options;
  const batchSize = options.batchSize ?? 50;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let wakeAgain = false;
  let stopped = true;

  async function deliverOne(): Promise<boolean> {
    return withTransaction(pool, async (tx) => {
      const { rows } = await tx.query<OutboxRow>(
        `SELECT id, kind, dedupe_key, payload, attempts FROM outbox
          WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= now()
          ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      const row = rows[0];
      if (!row) return false;
      try {
        await (handlers[row.kind] as (payload: unknown) => Promise<void>)(row.payload);
        await tx.query(
          `UPDATE outbox SET delivered_at = now(), attempts = attempts + 1 WHERE id = $1`,
          [row.id],
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof PermanentDeliveryError) {
          logger.error(
            { outboxId: row.id, kind: row.kind, dedupeKey: row.dedupe_key, err: error },
            'outbox message refused for good',
          );
          await tx.query(
            `UPDATE outbox SET abandoned_at = now(), attempts = attempts + 1, last_error = $2 WHERE id = $1`,
            [row.id, message],
          );
        } else {
          const delayMs = outboxRetryDelayMs(row.attempts + 1, options.retryBaseMs);
          logger.warn(
            {
              outboxId: row.id,
              kind: row.kind,
              dedupeKey: row.dedupe_key,
              delayMs,
              error: message,
            },
            'outbox delivery failed; will retry',
          );
          await tx.query(
            `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
               next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
              WHERE id = $1`,
            [row.id, message, delayMs],
          );
        }
      }
      return true;
    });
  }

  async function drain(): Promise<number> {
    let delivered = 0;
    while (delivered < batchSize && (await deliverOne())) delivered++;
    return delivered;
  }

  /** One pass over the due messages; concurrent calls share the pass in progress. */
  async function drainOnce(): Promise<number> {
    if (running) {
      wakeAgain = true;
      return running;
    }
    running = drain().finally(() => {
      running = undefined;
    });
    const count = await running;
    if (wakeAgain) {
      wakeAgain = false;
      return count + (await drainOnce());
    }
    return count;
  }

  function tick() {
    drainOnce()
      .catch((error: unknown) => logger.error({ err: error }, 'outbox relay pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  }

  return {
    drainOnce,
    wake() {
      if (!stopped)
        void drainOnce().catch((error: unknown) =>
          logger.error({ err: error }, 'outbox relay pass failed'),
        );
    },
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(tick, 0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

export type OutboxRelay = ReturnType<typeof createOutboxRelay>;
