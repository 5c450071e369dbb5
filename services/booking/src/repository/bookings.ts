import type { AppliedRule } from '../pricing/index.js';
import { ACTIVE_STATUSES, type Booking, type BookingStatus } from '../domain/booking.js';
import type { Queryable } from './queryable.js';

export interface NewBooking {
  userId: string;
  tourId: string;
  travellers: number;
  status: BookingStatus;
  country: string;
  promoCode: string | null;
  unitPriceCents: number;
  basePriceCents: number;
  discountCents: number;
  subtotalCents: number;
  vatBasisPoints: number;
  taxCents: number;
  totalCents: number;
  rulesApplied: AppliedRule[];
  tourStartsAt: Date;
}

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
  };
}

export async function insertBooking(db: Queryable, booking: NewBooking): Promise<Booking> {
  const { rows } = await db.query<BookingRow>(
    `INSERT INTO bookings (user_id, tour_id, travellers, status, country, promo_code, unit_price_cents,
       base_price_cents, discount_cents, subtotal_cents, vat_basis_points, tax_cents, total_cents,
       rules_applied, tour_starts_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
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
