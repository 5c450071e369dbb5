import type { Queryable } from './queryable.js';

export type KeyClaim =
  | { claimed: true }
  | { claimed: false; requestHash: string; responseStatus: number | null; response: unknown };

/**
 * Claims (userId, key) inside the caller's transaction. A concurrent claim of the same key blocks
 * on the unique index until this transaction ends, then sees the stored response (commit) or
 * claims the key itself (rollback).
 */
export async function claimIdempotencyKey(
  db: Queryable,
  userId: string,
  key: string,
  requestHash: string,
): Promise<KeyClaim> {
  const inserted = await db.query(
    `INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [userId, key, requestHash],
  );
  if (inserted.rowCount === 1) return { claimed: true };
  const { rows } = await db.query<{
    request_hash: string;
    response_status: number | null;
    response: unknown;
  }>(
    `SELECT request_hash, response_status, response FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
    [userId, key],
  );
  const row = rows[0]!;
  return {
    claimed: false,
    requestHash: row.request_hash,
    responseStatus: row.response_status,
    response: row.response,
  };
}

export async function storeIdempotentResponse(
  db: Queryable,
  userId: string,
  key: string,
  bookingId: string,
  status: number,
  response: unknown,
): Promise<void> {
  await db.query(
    `UPDATE idempotency_keys SET booking_id = $3, response_status = $4, response = $5 WHERE user_id = $1 AND key = $2`,
    [userId, key, bookingId, status, JSON.stringify(response)],
  );
}

/** The key's stored response, looked up without claiming it (a replay needs no catalog call). */
export async function findStoredResponse(
  db: Queryable,
  userId: string,
  key: string,
): Promise<{ requestHash: string; status: number; response: unknown } | null> {
  const { rows } = await db.query<{
    request_hash: string;
    response_status: number | null;
    response: unknown;
  }>(
    `SELECT request_hash, response_status, response FROM idempotency_keys
      WHERE user_id = $1 AND key = $2 AND response_status IS NOT NULL`,
    [userId, key],
  );
  const row = rows[0];
  return row
    ? { requestHash: row.request_hash, status: row.response_status!, response: row.response }
    : null;
}

/** The response stored for the request that created the booking: the saga rewrites it when the seat step settles. */
export async function storeResponseOfBooking(
  db: Queryable,
  bookingId: string,
  status: number,
  response: unknown,
): Promise<void> {
  await db.query(
    `UPDATE idempotency_keys SET response_status = $2, response = $3 WHERE booking_id = $1`,
    [bookingId, status, JSON.stringify(response)],
  );
}

export async function responseOfBooking(
  db: Queryable,
  bookingId: string,
): Promise<{ status: number; response: unknown } | null> {
  const { rows } = await db.query<{ response_status: number; response: unknown }>(
    `SELECT response_status, response FROM idempotency_keys WHERE booking_id = $1`,
    [bookingId],
  );
  return rows[0] ? { status: rows[0].response_status, response: rows[0].response } : null;
}
