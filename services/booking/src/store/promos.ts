import type { PromoCode } from '../domain/pricing/index.js';
import type { Queryable } from './queryable.js';

/** The promo code (case-insensitive) with whether this user already redeemed it; null when no such code. */
export async function findPromo(
  db: Queryable,
  code: string,
  userId: string,
): Promise<PromoCode | null> {
  const { rows } = await db.query<{
    code: string;
    percent: number;
    expires_at: Date | null;
    single_use_per_user: boolean;
    already_used: boolean;
  }>(
    `SELECT p.code, p.percent, p.expires_at, p.single_use_per_user,
            EXISTS (SELECT 1 FROM promo_redemptions r WHERE r.code = p.code AND r.user_id = $2) AS already_used
       FROM promo_codes p WHERE p.code = upper($1)`,
    [code, userId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    code: row.code,
    percent: row.percent,
    expiresAt: row.expires_at,
    singleUsePerUser: row.single_use_per_user,
    alreadyUsedByUser: row.already_used,
  };
}

/**
 * Records that a user spent a single-use code on a booking. False when they already had: the
 * primary key settles two concurrent bookings racing for the same code.
 */
export async function redeemPromo(
  db: Queryable,
  code: string,
  userId: string,
  bookingId: string,
): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO promo_redemptions (code, user_id, booking_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [code, userId, bookingId],
  );
  return result.rowCount === 1;
}

/** A cancelled booking gives its single-use code back. */
export async function releasePromo(db: Queryable, bookingId: string): Promise<void> {
  await db.query(`DELETE FROM promo_redemptions WHERE booking_id = $1`, [bookingId]);
}
