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
  status_changed_at: Date;
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
    statusChangedAt: row.status_changed_at,
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

/** What a saga step changes besides the status (each only when given). */
export interface StatePatch {
  paymentId?: string;
  /** +1: a counted charge attempt; 0: a fresh budget (staff retry). */
  paymentAttempts?: 'count' | 'reset';
  lastPaymentError?: string | null;
  requiresManualIntervention?: boolean;
  expiresAt?: Date | null;
  cancelledAt?: Date;
}

/**
 * Moves a booking from `from` to `to` (the same status for a step that stays); null when it is no
 * longer in `from` (another step won). status_changed_at is set by the database on a change.
 */
export async function updateBookingState(
  db: Queryable,
  id: string,
  from: BookingStatus,
  to: BookingStatus,
  patch: StatePatch,
  now: Date,
): Promise<Booking | null> {
  const sets = ['status = $3', 'updated_at = $4'];
  const params: unknown[] = [id, from, to, now];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  if (patch.paymentId !== undefined) set('payment_id', patch.paymentId);
  if (patch.paymentAttempts === 'count') sets.push('payment_attempts = payment_attempts + 1');
  if (patch.paymentAttempts === 'reset') sets.push('payment_attempts = 0');
  if (patch.lastPaymentError !== undefined) set('last_payment_error', patch.lastPaymentError);
  if (patch.requiresManualIntervention !== undefined)
    set('requires_manual_intervention', patch.requiresManualIntervention);
  if (patch.expiresAt !== undefined) set('expires_at', patch.expiresAt);
  if (patch.cancelledAt !== undefined) set('cancelled_at', patch.cancelledAt);
  const { rows } = await db.query<BookingRow>(
    `UPDATE bookings SET ${sets.join(', ')} WHERE id = $1 AND status = $2 RETURNING *`,
    params,
  );
  return rows[0] ? toBooking(rows[0]) : null;
}

/** Bookings in `status` since before `changedBefore`, oldest first: what a reconciler works on. */
export async function bookingsUnsettledSince(
  db: Queryable,
  status: BookingStatus,
  changedBefore: Date,
  limit: number,
): Promise<Booking[]> {
  const { rows } = await db.query<BookingRow>(
    `SELECT * FROM bookings WHERE status = $1 AND status_changed_at < $2
      ORDER BY status_changed_at, id LIMIT $3`,
    [status, changedBefore, limit],
  );
  return rows.map(toBooking);
}

/** Per status: how many bookings are in it and since when the oldest one (for the saga gauges). */
export async function statusCensus(
  db: Queryable,
  statuses: readonly BookingStatus[],
): Promise<Array<{ status: BookingStatus; count: number; oldest: Date | null }>> {
  const { rows } = await db.query<{ status: BookingStatus; count: string; oldest: Date | null }>(
    `SELECT status, count(*) AS count, min(status_changed_at) AS oldest
       FROM bookings WHERE status = ANY($1) GROUP BY status`,
    [statuses],
  );
  return rows.map((row) => ({ status: row.status, count: Number(row.count), oldest: row.oldest }));
}

export interface StaffFilter {
  /** Absent: what needs a person (flagged for manual intervention, or an outcome still unknown). */
  statuses?: readonly BookingStatus[] | undefined;
  limit: number;
  offset: number;
}

/** Every user's bookings for staff, the longest-waiting first. */
export async function listBookingsForStaff(
  db: Queryable,
  filter: StaffFilter,
): Promise<{ items: Booking[]; total: number }> {
  const [where, params] = filter.statuses
    ? ['status = ANY($1)', [filter.statuses]]
    : [
        `(requires_manual_intervention OR status = ANY($1))`,
        [['RESERVING_SEATS', 'PAYMENT_UNKNOWN']],
      ];
  const [page, count] = await Promise.all([
    db.query<BookingRow>(
      `SELECT * FROM bookings WHERE ${where} ORDER BY status_changed_at, id LIMIT $2 OFFSET $3`,
      [...params, filter.limit, filter.offset],
    ),
    db.query<{ total: string }>(`SELECT count(*) AS total FROM bookings WHERE ${where}`, params),
  ]);
  return { items: page.rows.map(toBooking), total: Number(count.rows[0]?.total ?? 0) };
}
