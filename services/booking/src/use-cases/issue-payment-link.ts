import { randomBytes } from 'node:crypto';
import type { Booking } from '../domain/booking.js';
import { paymentLinkUrl, signPaymentLink } from '../domain/payment-link.js';
import { insertPaymentLink } from '../store/payment-links.js';
import type { Queryable } from '../store/queryable.js';
import type { BookingContext } from './context.js';

/**
 * A pay-later reservation gets its payment link: a fresh nonce stored in the caller's transaction
 * (the one that creates the reservation and its e-mail), and the signed URL to e-mail.
 */
export async function issuePaymentLink(
  ctx: Pick<BookingContext, 'paymentLinkSecret' | 'payments'>,
  tx: Queryable,
  booking: Pick<Booking, 'id' | 'expiresAt'>,
): Promise<string> {
  if (!booking.expiresAt) throw new Error(`booking ${booking.id} has no expiry to link to`);
  const grant = {
    bookingId: booking.id,
    expiresAt: booking.expiresAt,
    nonce: randomBytes(18).toString('base64url'),
  };
  await insertPaymentLink(tx, grant);
  return paymentLinkUrl(
    ctx.payments.publicUrl,
    booking.id,
    signPaymentLink(ctx.paymentLinkSecret, grant),
  );
}
