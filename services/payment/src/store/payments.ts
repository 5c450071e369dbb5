import type { Queryable } from './queryable.js';

export type OperationStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

export interface Payment {
  id: string;
  bookingId: string;
  userId: string;
  amountCents: number;
  currency: 'EUR';
  status: OperationStatus;
  providerRef: string | null;
  idempotencyKey: string;
  requestHash: string;
  attempts: number;
  lastError: string | null;
  refundedCents: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface Refund {
  id: string;
  paymentId: string;
  amountCents: number;
  status: OperationStatus;
  providerRef: string | null;
  idempotencyKey: string;
  requestHash: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface PaymentRow {
  id: string;
  booking_id: string;
  user_id: string;
  amount_cents: string;
  status: OperationStatus;
  provider_ref: string | null;
  idempotency_key: string;
  request_hash: string;
  attempts: number;
  last_error: string | null;
  refunded_cents: string;
  created_at: Date;
  updated_at: Date;
}

interface RefundRow {
  id: string;
  payment_id: string;
  amount_cents: string;
  status: OperationStatus;
  provider_ref: string | null;
  idempotency_key: string;
  request_hash: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

const PAYMENT_COLUMNS = `p.*, COALESCE((SELECT sum(r.amount_cents) FROM refunds r
  WHERE r.payment_id = p.id AND r.status = 'SUCCEEDED'), 0) AS refunded_cents`;

function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    bookingId: row.booking_id,
    userId: row.user_id,
    amountCents: Number(row.amount_cents),
    currency: 'EUR',
    status: row.status,
    providerRef: row.provider_ref,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    attempts: row.attempts,
    lastError: row.last_error,
    refundedCents: Number(row.refunded_cents),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRefund(row: RefundRow): Refund {
  return {
    id: row.id,
    paymentId: row.payment_id,
    amountCents: Number(row.amount_cents),
    status: row.status,
    providerRef: row.provider_ref,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Inserts a PENDING payment for the key unless one exists, then locks the key's row. A
 * concurrent request with the same key blocks here until the holder's transaction ends.
 */
export async function claimPaymentKey(
  db: Queryable,
  key: string,
  requestHash: string,
  input: { bookingId: string; userId: string; amountCents: number },
): Promise<Payment> {
  await db.query(
    `INSERT INTO payments (booking_id, user_id, amount_cents, status, idempotency_key, request_hash)
     VALUES ($1, $2, $3, 'PENDING', $4, $5) ON CONFLICT (idempotency_key) DO NOTHING`,
    [input.bookingId, input.userId, input.amountCents, key, requestHash],
  );
  const { rows } = await db.query<PaymentRow>(
    `SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE p.idempotency_key = $1 FOR UPDATE OF p`,
    [key],
  );
  return toPayment(rows[0]!);
}

export async function recordPaymentAttempt(
  db: Queryable,
  id: string,
  result: { providerRef: string } | { error: string },
): Promise<Payment> {
  const succeeded = 'providerRef' in result;
  const { rows } = await db.query<PaymentRow>(
    `WITH updated AS (
       UPDATE payments SET status = $2, provider_ref = $3, last_error = $4,
         attempts = attempts + 1, updated_at = now()
       WHERE id = $1 RETURNING *)
     SELECT ${PAYMENT_COLUMNS} FROM updated p`,
    [
      id,
      succeeded ? 'SUCCEEDED' : 'FAILED',
      succeeded ? result.providerRef : null,
      succeeded ? null : result.error,
    ],
  );
  return toPayment(rows[0]!);
}

export async function findPayment(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Payment | null> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE p.id = $1${options.forUpdate ? ' FOR UPDATE OF p' : ''}`,
    [id],
  );
  return rows[0] ? toPayment(rows[0]) : null;
}

export async function paymentsOfBooking(db: Queryable, bookingId: string): Promise<Payment[]> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE p.booking_id = $1 ORDER BY p.created_at, p.id`,
    [bookingId],
  );
  return rows.map(toPayment);
}

/** Like claimPaymentKey, for refunds; the caller holds the payment's row lock. */
export async function claimRefundKey(
  db: Queryable,
  key: string,
  requestHash: string,
  input: { paymentId: string; amountCents: number },
): Promise<Refund> {
  await db.query(
    `INSERT INTO refunds (payment_id, amount_cents, status, idempotency_key, request_hash)
     VALUES ($1, $2, 'PENDING', $3, $4) ON CONFLICT (idempotency_key) DO NOTHING`,
    [input.paymentId, input.amountCents, key, requestHash],
  );
  const { rows } = await db.query<RefundRow>(
    'SELECT * FROM refunds WHERE idempotency_key = $1 FOR UPDATE',
    [key],
  );
  return toRefund(rows[0]!);
}

export async function recordRefundAttempt(
  db: Queryable,
  id: string,
  result: { providerRef: string } | { error: string },
): Promise<Refund> {
  const succeeded = 'providerRef' in result;
  const { rows } = await db.query<RefundRow>(
    `UPDATE refunds SET status = $2, provider_ref = $3, last_error = $4,
       attempts = attempts + 1, updated_at = now()
     WHERE id = $1 RETURNING *`,
    [
      id,
      succeeded ? 'SUCCEEDED' : 'FAILED',
      succeeded ? result.providerRef : null,
      succeeded ? null : result.error,
    ],
  );
  return toRefund(rows[0]!);
}
