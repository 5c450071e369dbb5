import type { Pool } from './db.js';

/**
 * The SQL of an outbox table, and nothing else: the relay (src/outbox.ts) decides when and what.
 * `table` is a trusted identifier from the service's code, never input.
 *
 * The table needs: `id bigint`, `kind text`, `payload jsonb`, `attempts integer`,
 * `next_attempt_at timestamptz`, `last_error text`, `delivered_at timestamptz`,
 * `trace_context jsonb` (the W3C headers of the trace that wrote the row, or null).
 */
export interface ClaimedRow<Kind extends string = string> {
  id: string;
  kind: Kind;
  payload: unknown;
  /** Attempts so far, this one included. */
  attempts: number;
  /** The trace that wrote the row (currentTraceCarrier), null when none. */
  traceContext: Record<string, string> | null;
}

/**
 * Claims up to `batchSize` due rows (SKIP LOCKED, so replicas share the work) by pushing their next
 * attempt `leaseMs` ahead and counting the attempt: no transaction stays open while a receiver is
 * called. Oldest first.
 */
export async function claimDueRows<Kind extends string>(
  pool: Pool,
  table: string,
  batchSize: number,
  leaseMs: number,
): Promise<Array<ClaimedRow<Kind>>> {
  const { rows } = await pool.query<ClaimedRow<Kind>>(
    `UPDATE ${table}
        SET attempts = attempts + 1,
            next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
      WHERE id IN (SELECT id FROM ${table}
                    WHERE delivered_at IS NULL AND next_attempt_at <= now()
                    ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING id::text, kind, payload, attempts, trace_context AS "traceContext"`,
    [batchSize, leaseMs],
  );
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

/** A delivered row: `delivered_at` set (kept as a record), or deleted. */
export async function markDelivered(
  pool: Pool,
  table: string,
  id: string,
  deliveredRows: 'keep' | 'delete',
): Promise<void> {
  await pool.query(
    deliveredRows === 'delete'
      ? `DELETE FROM ${table} WHERE id = $1`
      : `UPDATE ${table} SET delivered_at = now(), last_error = NULL WHERE id = $1`,
    [id],
  );
}

/** A row refused for good: never due again (`next_attempt_at = 'infinity'`), its error kept for a person. */
export async function parkRow(pool: Pool, table: string, id: string, error: string): Promise<void> {
  await pool.query(
    `UPDATE ${table} SET next_attempt_at = 'infinity', last_error = $2 WHERE id = $1`,
    [id, error],
  );
}

/** A failed attempt: due again after `delayMs`. */
export async function scheduleRetry(
  pool: Pool,
  table: string,
  id: string,
  error: string,
  delayMs: number,
): Promise<void> {
  await pool.query(
    `UPDATE ${table} SET last_error = $2,
       next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
      WHERE id = $1`,
    [id, error, delayMs],
  );
}

/** Rows not delivered yet, parked ones included. */
export async function countPending(pool: Pool, table: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE delivered_at IS NULL`,
  );
  return rows[0]!.n;
}
