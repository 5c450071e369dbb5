import { paymentLinkView } from '../domain/payment-link.js';
import type { BookingContext } from './context.js';
import { openPaymentLink } from './open-payment-link.js';

/**
 * The traveller opens the e-mailed payment link: the reservation's summary. A used link still
 * answers (used: true) so the page can follow the payment to CONFIRMED.
 */
export async function viewPaymentLink(ctx: BookingContext, bookingId: string, token: string) {
  const { booking, link } = await openPaymentLink(ctx, ctx.pool, bookingId, token);
  return paymentLinkView(booking, link);
}
