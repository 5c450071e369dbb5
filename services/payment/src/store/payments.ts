import type { PaymentStatus, RefundStatus, Settlement } from '../domain/operations.js';
import type { Queryable } from './queryable.js';

export interface Payment {
  id: string;
  bookingId: string;
  userId: string;
  amountCents: number;
  currency: 'EUR';
  status: PaymentStatus;
  providerRef: string | null;
  idempotencyKey: string;
  requestHash: string;
  attempts: number;
  lastError: string | null;
  /** Sum of SUCCEEDED refunds. */
  refundedCents: number;
  /** When the current (or last) attempt was claimed. */
  attemptedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface Refund {
  id: string;
  paymentId: string;
  amountCents: number;
  status: RefundStatus;
  providerRef: string | null;
  idempotencyKey: string;
  requestHash: string;
  attempts: number;
  lastError: string | null;
  attemptedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

interface PaymentRow {
  id: string;
  booking_id: string;
  user_id: string;
  amount_cents: string;
  status: PaymentStatus;
  provider_ref: string | null;
  idempotency_key: string;
  request_hash: string;
  attempts: number;
  last_error: string | null;
  refunded_cents: string;
  attempted_at: Date;
  created_at: Date;
  updated_at: Date;
}

interface RefundRow {
  id: string;
  payment_id: string;
  amount_cents: string;
  status: RefundStatus;
  provider_ref: string | null;
  idempotency_key: string;
  request_hash: string;
  attempts: number;
  last_error: string | null;
  attempted_at: Date;
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
    attemptedAt: row.attempted_at,
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
    attemptedAt: row.attempted_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

// ---------------------------------------------------------------------------------------------
// Payments (charges)

/**
 * Inserts the key's payment as PENDING with its first attempt claimed at `now`; null when the key
 * already has a row (a concurrent insert of the same key waits for the first to commit).
 */
export async function insertPendingPayment(
  db: Queryable,
  key: string,
  requestHash: string,
  input: { bookingId: string; userId: string; amountCents: number },
  now: Date,
): Promise<Payment | null> {
  const { rows } = await db.query<PaymentRow>(
    `WITH inserted AS (
       INSERT INTO payments (booking_id, user_id, amount_cents, status, idempotency_key,
         request_hash, attempts, attempted_at, created_at, updated_at)
       VALUES ($1, $2, $3, 'PENDING', $4, $5, 1, $6, $6, $6)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING *)
     SELECT p.*, 0 AS refunded_cents FROM inserted p`,
    [input.bookingId, input.userId, input.amountCents, key, requestHash, now],
  );
  return rows[0] ? toPayment(rows[0]) : null;
}

/** The key's payment, locked until the transaction ends when `forUpdate`. */
export async function findPaymentByKey(
  db: Queryable,
  key: string,
  options: { forUpdate?: boolean } = {},
): Promise<Payment | null> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE p.idempotency_key = $1${options.forUpdate ? ' FOR UPDATE OF p' : ''}`,
    [key],
  );
  return rows[0] ? toPayment(rows[0]) : null;
}

/**
 * Claims a new attempt on a payment: PENDING, attempts + 1, attempted at `now`. Only when it is
 * still at `attempts` (and, for the reconciler, still PENDING): of two claimers, one wins.
 */
export async function claimPaymentAttempt(
  db: Queryable,
  id: string,
  expected: { attempts: number; status: PaymentStatus },
  now: Date,
): Promise<Payment | null> {
  const { rows } = await db.query<PaymentRow>(
    `WITH updated AS (
       UPDATE payments SET status = 'PENDING', attempts = attempts + 1, attempted_at = $4,
         updated_at = $4
       WHERE id = $1 AND attempts = $2 AND status = $3 RETURNING *)
     SELECT ${PAYMENT_COLUMNS} FROM updated p`,
    [id, expected.attempts, expected.status, now],
  );
  return rows[0] ? toPayment(rows[0]) : null;
}

/**
 * Records the outcome of attempt number `attempts`, only if the payment is still PENDING on that
 * attempt; null when another party (the reconciler, a later attempt) got there first.
 */
export async function settlePayment(
  db: Queryable,
  id: string,
  attempts: number,
  settlement: Settlement,
  now: Date,
): Promise<Payment | null> {
  const succeeded = settlement.status === 'SUCCEEDED';
  const { rows } = await db.query<PaymentRow>(
    `WITH updated AS (
       UPDATE payments SET status = $3, provider_ref = $4, last_error = $5, updated_at = $6
       WHERE id = $1 AND attempts = $2 AND status = 'PENDING' RETURNING *)
     SELECT ${PAYMENT_COLUMNS} FROM updated p`,
    [
      id,
      attempts,
      settlement.status,
      succeeded ? settlement.providerRef : null,
      succeeded ? null : settlement.error,
      now,
    ],
  );
  return rows[0] ? toPayment(rows[0]) : null;
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

/** PENDING payments claimed before `before`, oldest first: the reconciler's work. */
export async function pendingPaymentsBefore(
  db: Queryable,
  before: Date,
  limit: number,
): Promise<Payment[]> {
  const { rows } = await db.query<PaymentRow>(
    `SELECT ${PAYMENT_COLUMNS} FROM payments p
     WHERE p.status = 'PENDING' AND p.attempted_at < $1 ORDER BY p.attempted_at LIMIT $2`,
    [before, limit],
  );
  return rows.map(toPayment);
}

// ---------------------------------------------------------------------------------------------
// Refunds

/** The key's refund, locked until the transaction ends. */
export async function findRefundByKeyForUpdate(db: Queryable, key: string): Promise<Refund | null> {
  const { rows } = await db.query<RefundRow>(
    'SELECT * FROM refunds WHERE idempotency_key = $1 FOR UPDATE',
    [key],
  );
  return rows[0] ? toRefund(rows[0]) : null;
}

export async function findRefund(db: Queryable, id: string): Promise<Refund | null> {
  const { rows } = await db.query<RefundRow>('SELECT * FROM refunds WHERE id = $1', [id]);
  return rows[0] ? toRefund(rows[0]) : null;
}

/**
 * What the payment's refunds hold of its capture: SUCCEEDED ones and PENDING ones (in flight or
 * unknown). The caller holds the payment's row lock, so no other refund is reserved meanwhile.
 */
export async function reservedRefundCents(db: Queryable, paymentId: string): Promise<number> {
  const { rows } = await db.query<{ reserved: string }>(
    `SELECT COALESCE(sum(amount_cents), 0) AS reserved FROM refunds
     WHERE payment_id = $1 AND status IN ('PENDING', 'SUCCEEDED')`,
    [paymentId],
  );
  return Number(rows[0]!.reserved);
}

/** Inserts a PENDING refund (its amount now reserved) with its first attempt claimed at `now`. */
export async function insertPendingRefund(
  db: Queryable,
  key: string,
  requestHash: string,
  input: { paymentId: string; amountCents: number },
  now: Date,
): Promise<Refund> {
  const { rows } = await db.query<RefundRow>(
    `INSERT INTO refunds (payment_id, amount_cents, status, idempotency_key, request_hash,
       attempts, attempted_at, created_at, updated_at)
     VALUES ($1, $2, 'PENDING', $3, $4, 1, $5, $5, $5) RETURNING *`,
    [input.paymentId, input.amountCents, key, requestHash, now],
  );
  return toRefund(rows[0]!);
}

/** Like claimPaymentAttempt, for a refund. */
export async function claimRefundAttempt(
  db: Queryable,
  id: string,
  expected: { attempts: number; status: RefundStatus },
  now: Date,
): Promise<Refund | null> {
  const { rows } = await db.query<RefundRow>(
    `UPDATE refunds SET status = 'PENDING', attempts = attempts + 1, attempted_at = $4,
       updated_at = $4
     WHERE id = $1 AND attempts = $2 AND status = $3 RETURNING *`,
    [id, expected.attempts, expected.status, now],
  );
  return rows[0] ? toRefund(rows[0]) : null;
}

/** Like settlePayment, for a refund: FAILED gives the reserved amount back (DECLINED counts as FAILED). */
export async function settleRefund(
  db: Queryable,
  id: string,
  attempts: number,
  settlement: Settlement,
  now: Date,
): Promise<Refund | null> {
  const succeeded = settlement.status === 'SUCCEEDED';
  const { rows } = await db.query<RefundRow>(
    `UPDATE refunds SET status = $3, provider_ref = $4, last_error = $5, updated_at = $6
     WHERE id = $1 AND attempts = $2 AND status = 'PENDING' RETURNING *`,
    [
      id,
      attempts,
      succeeded ? 'SUCCEEDED' : 'FAILED',
      succeeded ? settlement.providerRef : null,
      succeeded ? null : settlement.error,
      now,
    ],
  );
  return rows[0] ? toRefund(rows[0]) : null;
}

/** PENDING refunds claimed before `before`, oldest first, with their payment's provider reference. */
export async function pendingRefundsBefore(
  db: Queryable,
  before: Date,
  limit: number,
): Promise<Array<Refund & { chargeRef: string }>> {
  const { rows } = await db.query<RefundRow & { charge_ref: string }>(
    `SELECT r.*, p.provider_ref AS charge_ref FROM refunds r JOIN payments p ON p.id = r.payment_id
     WHERE r.status = 'PENDING' AND r.attempted_at < $1 ORDER BY r.attempted_at LIMIT $2`,
    [before, limit],
  );
  return rows.map((row) => ({ ...toRefund(row), chargeRef: row.charge_ref }));
}

// ---------------------------------------------------------------------------------------------
// Metrics

export interface PendingStats {
  operation: 'charge' | 'refund';
  count: number;
  /** When the oldest PENDING attempt was claimed; null when there is none. */
  oldestAttemptedAt: Date | null;
}

/** How many charges and refunds are PENDING, and since when the oldest. */
export async function pendingStats(db: Queryable): Promise<PendingStats[]> {
  const { rows } = await db.query<{
    operation: 'charge' | 'refund';
    count: string;
    oldest: Date | null;
  }>(
    `SELECT 'charge' AS operation, count(*) AS count, min(attempted_at) AS oldest
       FROM payments WHERE status = 'PENDING'
     UNION ALL
     SELECT 'refund', count(*), min(attempted_at) FROM refunds WHERE status = 'PENDING'`,
  );
  return rows.map((row) => ({
    operation: row.operation,
    count: Number(row.count),
    oldestAttemptedAt: row.oldest,
  }));
}
