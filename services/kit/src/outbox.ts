import type { Logger } from 'pino';
import type { Pool } from './db.js';
import { PermanentDeliveryError, retryDelayMs } from './delivery-errors.js';
import type { ServiceMetrics } from './metrics.js';
import { inStoredTrace, type TraceCarrier } from './trace-context.js';
import {
  claimDueRows,
  countPending,
  markDelivered,
  parkRow,
  scheduleRetry,
} from './outbox-table.js';

/** A row of the outbox table, as a handler receives it. */
export interface OutboxEntry<Kind extends string = string, Payload = unknown> {
  id: string;
  kind: Kind;
  payload: Payload;
  /** Attempts so far, this one included. */
  attempts: number;
}

/** The payload type of each kind of message, e.g. `{ refund: { bookingId: string } }`. */
export type OutboxPayloads = Record<string, unknown>;

/** One handler per kind; resolves when the receiver accepted the message, throws otherwise. */
export type OutboxHandlers<Payloads extends OutboxPayloads> = {
  [Kind in keyof Payloads & string]: (
    payload: Payloads[Kind],
    entry: OutboxEntry<Kind, Payloads[Kind]>,
  ) => Promise<void>;
};

export interface OutboxRelayOptions<Payloads extends OutboxPayloads> {
  pool: Pool;
  handlers: OutboxHandlers<Payloads>;
  logger: Logger;
  /** Adds `outbox_deliveries_total{kind,result=delivered|retry|parked}` and `outbox_pending`. */
  metrics?: ServiceMetrics;
  /** Pause between passes when the last one found less than a batch. */
  intervalMs: number;
  /** First retry delay; doubled per attempt up to `maxBackoffMs`. */
  retryBaseMs: number;
  maxBackoffMs?: number;
  /** A claimed message stays invisible this long: if the process dies meanwhile, it is retried after. */
  leaseMs?: number;
  batchSize?: number;
  /** `keep` (default) marks a delivered row `delivered_at` as a record; `delete` removes it, so the table stays small. */
  deliveredRows?: 'keep' | 'delete';
  /** The table, `outbox` unless the service names it otherwise (a trusted identifier, never input). */
  table?: string;
}

export interface OutboxRelay {
  /** Polls every `intervalMs` until `stop()`. */
  start(): void;
  /** A pass now (new messages were committed) instead of at the next poll; no-op when stopped. */
  wake(): void;
  /** One pass over the due messages; concurrent calls share the pass in progress. Returns how many it claimed. */
  drainOnce(): Promise<number>;
  /** Stops polling and waits for the pass in progress. */
  stop(): Promise<void>;
}

/**
 * The delivering half of a transactional outbox: the service inserts rows in the transaction that
 * makes them true, this relay delivers them, at least once; its SQL is in src/outbox-table.ts. Each
 * pass claims up to a batch of due rows (SKIP LOCKED, so replicas share the work) by pushing their
 * next attempt `leaseMs` ahead, so no transaction stays open while a receiver is called. Delivered rows get `delivered_at` (kept as a
 * record) or are deleted (`deliveredRows: 'delete'`); a failure is retried after a doubling delay;
 * a PermanentDeliveryError parks the row (`next_attempt_at = 'infinity'`, `last_error`) for a
 * person to look at. An outcome the database refused to record is kept and written at the next
 * pass (the lease only covers a process that died).
 *
 * Each delivery runs in a span whose parent is the trace stored with the row (`trace_context`,
 * written with currentTraceCarrier): the receiver's work joins the request that recorded it.
 *
 * The table needs: `id bigint`, `kind text`, `payload jsonb`, `attempts integer`,
 * `next_attempt_at timestamptz`, `last_error text`, `delivered_at timestamptz`,
 * `trace_context jsonb`.
 */
export function createOutboxRelay<Payloads extends OutboxPayloads>(
  options: OutboxRelayOptions<Payloads>,
): OutboxRelay {
  type Kind = keyof Payloads & string;
  const { pool, handlers, logger } = options;
  const table = options.table ?? 'outbox';
  const batchSize = options.batchSize ?? 20;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxBackoffMs = options.maxBackoffMs ?? 300_000;
  const deliveries = options.metrics?.counter<'kind' | 'result'>({
    name: 'outbox_deliveries_total',
    help: 'Outbox delivery attempts, by kind and result (delivered, retry, parked)',
    labelNames: ['kind', 'result'],
  });
  options.metrics?.gauge({
    name: 'outbox_pending',
    help: 'Outbox messages not delivered yet (parked ones included)',
    async collect() {
      this.set(await countPending(pool, table));
    },
  });

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let passAgain = false;
  let stopped = true;

  type Claimed = OutboxEntry<Kind> & { traceContext: TraceCarrier | null };

  async function claim(): Promise<Claimed[]> {
    return (await claimDueRows<Kind>(pool, table, batchSize, leaseMs)) as Claimed[];
  }

  function deliverInTrace({ traceContext, ...entry }: Claimed): Promise<void> {
    return inStoredTrace(
      `${table} deliver ${entry.kind}`,
      traceContext,
      {
        'messaging.system': 'outbox',
        'messaging.destination.name': table,
        'messaging.operation.type': 'process',
        'messaging.message.id': entry.id,
      },
      () => deliver(entry),
    );
  }

  // Outcomes a pass could not write (the database went away between the claim and the answer):
  // each is written before the next claim. Without this, the row (and, as the pass stopped there,
  // every row claimed with it) stayed invisible for the whole lease although the receiver's
  // answer was known: after a Postgres restart, e-mails a minute late.
  const unrecorded = new Map<string, () => Promise<void>>();

  async function record(entry: OutboxEntry<Kind>, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      unrecorded.set(entry.id, write);
      logger.warn(
        { outboxId: entry.id, kind: entry.kind, err: error },
        'outbox outcome not recorded; recording it at the next pass',
      );
    }
  }

  /** Writes the outcomes earlier passes could not; throws (ending the pass) while the database still fails. */
  async function recordUnrecorded(): Promise<void> {
    for (const [id, write] of unrecorded) {
      await write();
      unrecorded.delete(id);
    }
  }

  async function deliver(entry: OutboxEntry<Kind>): Promise<void> {
    const context = { outboxId: entry.id, kind: entry.kind, attempts: entry.attempts };
    try {
      const handler = handlers[entry.kind] as (
        payload: unknown,
        entry: OutboxEntry<Kind>,
      ) => Promise<void>;
      await handler(entry.payload, entry);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof PermanentDeliveryError) {
        await record(entry, () => parkRow(pool, table, entry.id, message));
        deliveries?.inc({ kind: entry.kind, result: 'parked' });
        logger.error({ ...context, err: error }, 'outbox message refused for good; parked');
        return;
      }
      const delayMs = retryDelayMs(entry.attempts, options.retryBaseMs, maxBackoffMs);
      await record(entry, () => scheduleRetry(pool, table, entry.id, message, delayMs));
      deliveries?.inc({ kind: entry.kind, result: 'retry' });
      logger.warn({ ...context, delayMs, error: message }, 'outbox delivery failed; will retry');
      return;
    }
    await record(entry, () =>
      markDelivered(pool, table, entry.id, options.deliveredRows ?? 'keep'),
    );
    deliveries?.inc({ kind: entry.kind, result: 'delivered' });
  }

  async function pass(): Promise<number> {
    await recordUnrecorded();
    const entries = await claim();
    for (const entry of entries) await deliverInTrace(entry);
    return entries.length;
  }

  async function drainOnce(): Promise<number> {
    if (running) {
      passAgain = true;
      return running;
    }
    running = pass().finally(() => {
      running = undefined;
    });
    const claimed = await running;
    if (passAgain) {
      passAgain = false;
      return claimed + (await drainOnce());
    }
    return claimed;
  }

  function tick(): void {
    drainOnce()
      .then(
        (claimed) => (claimed >= batchSize ? 0 : options.intervalMs),
        (error: unknown) => {
          logger.error({ err: error }, 'outbox relay pass failed; retrying at next poll');
          return options.intervalMs;
        },
      )
      .then((delayMs) => {
        if (!stopped) timer = setTimeout(tick, delayMs);
      });
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(tick, 0);
    },
    wake() {
      if (stopped) return;
      void drainOnce().catch((error: unknown) =>
        logger.error({ err: error }, 'outbox relay pass failed; retrying at next poll'),
      );
    },
    drainOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
      // A last try; what stays unrecorded comes back when its lease ends.
      await recordUnrecorded().catch(() => undefined);
    },
  };
}
