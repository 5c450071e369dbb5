import { HttpProblem } from '@tourkit/kit';
import type { Booking } from '../domain/booking.js';
import { checkPaymentLink, type StoredPaymentLink } from '../domain/payment-link.js';
import { findBooking } from '../store/bookings.js';
import { findPaymentLink } from '../store/payment-links.js';
import type { Queryable } from '../store/queryable.js';
import type { BookingContext } from './context.js';

function linkProblem(status: number, slug: string, title: string, message: string) {
  return new HttpProblem(status, slug, title, {
    detail: message,
    errors: [{ field: 't', message }],
  });
}

/**
 * Reads a booking through its payment link, refusing a token that does not open it: invalid
 * (forged, tampered, another booking's, or no link issued: one answer, so a guess learns nothing)
 * → 403; expired → 410. A used link opens read-only (`used` is the caller's to refuse).
 */
export async function openPaymentLink(
  ctx: Pick<BookingContext, 'paymentLinkSecret' | 'now'>,
  db: Queryable,
  bookingId: string,
  token: string,
  options: { forUpdate?: boolean } = {},
): Promise<{ booking: Booking; link: StoredPaymentLink; check: 'valid' | 'used' }> {
  // The booking row first, as every use case that changes a booking locks it first.
  const booking = await findBooking(db, bookingId, options);
  const link = booking ? await findPaymentLink(db, bookingId, options) : null;
  const check = checkPaymentLink(ctx.paymentLinkSecret, bookingId, token, link, ctx.now());
  if (!booking || !link || check === 'invalid')
    throw linkProblem(
      403,
      'payment-link-invalid',
      'Invalid payment link',
      'this payment link is not valid; use the link of your e-mail as it was sent',
    );
  if (check === 'expired')
    throw linkProblem(
      410,
      'payment-link-expired',
      'Payment link expired',
      `this payment link expired at ${link.expiresAt.toISOString()}, with the reservation`,
    );
  return { booking, link, check };
}
