import type { PaymentLinkGrant, StoredPaymentLink } from '../domain/payment-link.js';
import type { Queryable } from './queryable.js';

interface PaymentLinkRow {
  booking_id: string;
  nonce: string;
  expires_at: Date;
  used_at: Date | null;
}

export async function insertPaymentLink(db: Queryable, grant: PaymentLinkGrant): Promise<void> {
  await db.query(`INSERT INTO payment_links (booking_id, nonce, expires_at) VALUES ($1, $2, $3)`, [
    grant.bookingId,
    grant.nonce,
    grant.expiresAt,
  ]);
}

export async function findPaymentLink(
  db: Queryable,
  bookingId: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredPaymentLink | null> {
  const { rows } = await db.query<PaymentLinkRow>(
    `SELECT * FROM payment_links WHERE booking_id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [bookingId],
  );
  const row = rows[0];
  return row
    ? {
        bookingId: row.booking_id,
        nonce: row.nonce,
        expiresAt: row.expires_at,
        usedAt: row.used_at,
      }
    : null;
}

/** Spends the link; false when it was spent already (the caller's check raced another payer). */
export async function consumePaymentLink(
  db: Queryable,
  bookingId: string,
  now: Date,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE payment_links SET used_at = $2 WHERE booking_id = $1 AND used_at IS NULL`,
    [bookingId, now],
  );
  return rowCount === 1;
}
