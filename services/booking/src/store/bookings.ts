import type { AppliedRule } from '../domain/pricing/index.js';
import { ACTIVE_STATUSES, type Booking, type BookingStatus } from '../domain/booking.js';
import type { Queryable } from './queryable.js';

/** What a new booking row is given; the rest (id, timestamps, payment progress) the database fills. */
export type NewBooking = Pick<
  Booking,
  | 'userId'
  | 'tourId'
  | 'travellers'
  | 'status'
  | 'country'
  | 'promoCode'
  | 'unitPriceCents'
  | 'basePriceCents'
  | 'discountCents'
  | 'subtotalCents'
  | 'vatBasisPoints'
  | 'taxCents'
  | 'totalCents'
  | 'rulesApplied'
  | 'tourStartsAt'
> &
  Partial<Pick<Booking, 'expiresAt'>>;

interface BookingRow {
  id: string;
  user_id: string;
  tour_id: string;
  travellers: number;
  status: BookingStatus;
  country: string;
  promo_code: string | null;
  currency: string;
  unit_price_cents: string;
  base_price_cents: string;
  discount_cents: string;
  subtotal_cents: string;
  vat_basis_points: number;
  tax_cents: string;
  total_cents: string;
  rules_applied: AppliedRule[];
  tour_starts_at: Date;
  created_at: Date;
  updated_at: Date;
  cancelled_at: Date | null;
  requires_manual_intervention: boolean;
  expires_at: Date | null;
  payment_id: string | null;
  payment_attempts: number;
  last_payment_error: string | null;
  refund_id: string | null;
}

function toBooking(row: BookingRow): Booking {
  return {
    id: row.id,
    userId: row.user_id,
    tourId: row.tour_id,
    travellers: row.travellers,
    status: row.status,
    country: row.country,
    promoCode: row.promo_code,
    currency: 'EUR',
    // bigint columns arrive as strings; the quote's bounds keep them below 2^53.
    unitPriceCents: Number(row.unit_price_cents),
    basePriceCents: Number(row.base_price_cents),
    discountCents: Number(row.discount_cents),
    subtotalCents: Number(row.subtotal_cents),
    vatBasisPoints: row.vat_basis_points,
    taxCents: Number(row.tax_cents),
    totalCents: Number(row.total_cents),
    rulesApplied: row.rules_applied,
    tourStartsAt: row.tour_starts_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    cancelledAt: row.cancelled_at,
    requiresManualIntervention: row.requires_manual_intervention,
    expiresAt: row.expires_at,
    paymentId: row.payment_id,
    paymentAttempts: row.payment_attempts,
    lastPaymentError: row.last_payment_error,
    refundId: row.refund_id,
  };
}

export async function insertBooking(db: Queryable, booking: NewBooking): Promise<Booking> {
  const { rows } = await db.query<BookingRow>(
    `INSERT INTO bookings (user_id, tour_id, travellers, status, country, promo_code, unit_price_cents,
       base_price_cents, discount_cents, subtotal_cents, vat_basis_points, tax_cents, total_cents,
       rules_applied, tour_starts_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     RETURNING *`,
    [
      booking.userId,
      booking.tourId,
      booking.travellers,
      booking.status,
      booking.country,
      booking.promoCode,
      booking.unitPriceCents,
      booking.basePriceCents,
      booking.discountCents,
      booking.subtotalCents,
      booking.vatBasisPoints,
      booking.taxCents,
      booking.totalCents,
      JSON.stringify(booking.rulesApplied),
      booking.tourStartsAt,
      booking.expiresAt ?? null,
    ],
  );
  return toBooking(rows[0]!);
}

export async function findBooking(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Booking | null> {
  const { rows } = await db.query<BookingRow>(
    `SELECT * FROM bookings WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ? toBooking(rows[0]) : null;
}

export interface BookingFilter {
  userId: string;
  tourId?: string | undefined;
  status?: BookingStatus | undefined;
  limit: number;
  offset: number;
}

/** A user's bookings, newest first. */
export async function listBookings(
  db: Queryable,
  filter: BookingFilter,
): Promise<{ items: Booking[]; total: number }> {
  const conditions = ['user_id = $1'];
  const params: unknown[] = [filter.userId];
  if (filter.tourId) {
    params.push(filter.tourId);
    conditions.push(`tour_id = $${params.length}`);
  }
  if (filter.status) {
    params.push(filter.status);
    conditions.push(`status = $${params.length}`);
  }
  const where = conditions.join(' AND ');
  const [page, count] = await Promise.all([
    db.query<BookingRow>(
      `SELECT * FROM bookings WHERE ${where} ORDER BY created_at DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    ),
    db.query<{ total: string }>(`SELECT count(*) AS total FROM bookings WHERE ${where}`, params),
  ]);
  return { items: page.rows.map(toBooking), total: Number(count.rows[0]?.total ?? 0) };
}

export async function markCancelled(db: Queryable, id: string, now: Date): Promise<Booking> {
  const { rows } = await db.query<BookingRow>(
    `UPDATE bookings SET status = 'CANCELLED', cancelled_at = $2, updated_at = $2 WHERE id = $1 RETURNING *`,
    [id, now],
  );
  return toBooking(rows[0]!);
}

/** Active bookings whose tour starts in (from, until], soonest first. */
export async function bookingsStartingBetween(
  db: Queryable,
  from: Date,
  until: Date,
  limit: number,
): Promise<Booking[]> {
  const { rows } = await db.query<BookingRow>(
    `SELECT * FROM bookings
      WHERE tour_starts_at > $1 AND tour_starts_at <= $2 AND status = ANY($3)
      ORDER BY tour_starts_at, id
      LIMIT $4`,
    [from, until, ACTIVE_STATUSES, limit],
  );
  return rows.map(toBooking);
}

/** Every booking (any status) of a user for a tour, oldest first: the review service's "did they book it". */
export async function bookingsOfUserForTour(
  db: Queryable,
  userId: string,
  tourId: string,
): Promise<Booking[]> {
  const { rows } = await db.query<BookingRow>(
    `SELECT * FROM bookings WHERE user_id = $1 AND tour_id = $2 ORDER BY created_at, id`,
    [userId, tourId],
  );
  return rows.map(toBooking);
}

/** Counts one payment attempt of a PENDING_PAYMENT booking; null when it is no longer pending. */
export async function recordPaymentAttempt(db: Queryable, id: string): Promise<Booking | null> {
  const { rows } = await db.query<BookingRow>(
    `UPDATE bookings SET payment_attempts = payment_attempts + 1, updated_at = now()
      WHERE id = $1 AND status = 'PENDING_PAYMENT' RETURNING *`,
    [id],
  );
  return rows[0] ? toBooking(rows[0]) : null;
}

export async function recordPaymentError(db: Queryable, id: string, error: string): Promise<void> {
  await db.query(`UPDATE bookings SET last_payment_error = $2 WHERE id = $1`, [id, error]);
}

/** PENDING_PAYMENT → CONFIRMED; null when the booking left PENDING_PAYMENT meanwhile (e.g. cancelled). */
export async function markConfirmed(
  db: Queryable,
  id: string,
  paymentId: string,
  now: Date,
): Promise<Booking | null> {
  const { rows } = await db.query<BookingRow>(
    `UPDATE bookings SET status = 'CONFIRMED', payment_id = $2, last_payment_error = NULL, updated_at = $3
      WHERE id = $1 AND status = 'PENDING_PAYMENT' RETURNING *`,
    [id, paymentId, now],
  );
  return rows[0] ? toBooking(rows[0]) : null;
}

/** PENDING_PAYMENT → PAYMENT_FAILED with the manual-intervention flag; null when no longer pending. */
export async function markPaymentFailed(
  db: Queryable,
  id: string,
  error: string,
  now: Date,
): Promise<Booking | null> {
  const { rows } = await db.query<BookingRow>(
    `UPDATE bookings SET status = 'PAYMENT_FAILED', requires_manual_intervention = true,
       last_payment_error = $2, updated_at = $3
      WHERE id = $1 AND status = 'PENDING_PAYMENT' RETURNING *`,
    [id, error, now],
  );
  return rows[0] ? toBooking(rows[0]) : null;
}

/** RESERVED_PENDING_PAYMENT → PENDING_PAYMENT (the traveller followed the payment link). */
export async function markPaymentRequested(db: Queryable, id: string, now: Date): Promise<Booking> {
  const { rows } = await db.query<BookingRow>(
    `UPDATE bookings SET status = 'PENDING_PAYMENT', expires_at = NULL, updated_at = $2
      WHERE id = $1 RETURNING *`,
    [id, now],
  );
  return toBooking(rows[0]!);
}

/** Moves overdue pay-later reservations to EXPIRED (each row once, even with several sweepers). */
export async function expireOverdueReservations(
  db: Queryable,
  now: Date,
  limit: number,
): Promise<Booking[]> {
  const { rows } = await db.query<BookingRow>(
    `UPDATE bookings SET status = 'EXPIRED', updated_at = $1
      WHERE id IN (SELECT id FROM bookings
                    WHERE status = 'RESERVED_PENDING_PAYMENT' AND expires_at <= $1
                    ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING *`,
    [now, limit],
  );
  return rows.map(toBooking);
}

/** PENDING_PAYMENT bookings untouched since `before`: their queue job may have been lost. */
export async function stalePendingPayments(
  db: Queryable,
  before: Date,
  limit: number,
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM bookings WHERE status = 'PENDING_PAYMENT' AND updated_at < $1
      ORDER BY updated_at LIMIT $2`,
    [before, limit],
  );
  return rows.map((row) => row.id);
}

export async function recordRefund(db: Queryable, id: string, refundId: string): Promise<void> {
  await db.query(`UPDATE bookings SET refund_id = $2 WHERE id = $1`, [id, refundId]);
}
