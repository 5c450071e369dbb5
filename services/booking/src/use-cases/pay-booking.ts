import { conflict, gone, notFound, serviceUnavailable, withTransaction } from '@tourkit/kit';
import type { Booking } from '../domain/booking.js';
import { findBooking, markPaymentRequested } from '../store/bookings.js';
import type { BookingContext } from './context.js';
import { handToPayment } from './hand-to-payment.js';

/**
 * The traveller follows the payment link of a pay-later reservation: RESERVED_PENDING_PAYMENT →
 * PENDING_PAYMENT and onto the payment queue. Repeating it while the payment runs changes nothing.
 */
export async function payBooking(
  ctx: BookingContext,
  userId: string,
  bookingId: string,
): Promise<Booking> {
  const { booking, changed } = await withTransaction(ctx.pool, async (tx) => {
    const booking = await findBooking(tx, bookingId, { forUpdate: true });
    if (!booking || booking.userId !== userId) throw notFound(`booking ${bookingId} not found`);
    if (booking.status === 'PENDING_PAYMENT') return { booking, changed: false };
    if (booking.status !== 'RESERVED_PENDING_PAYMENT')
      throw conflict(`a ${booking.status} booking cannot be paid`);
    if (booking.expiresAt && booking.expiresAt.getTime() <= ctx.now().getTime())
      throw gone(`this reservation expired at ${booking.expiresAt.toISOString()}`);
    if (!ctx.payments.acceptsPayments()) {
      throw serviceUnavailable(
        `Payment is temporarily unavailable; your reservation is kept until ${booking.expiresAt?.toISOString()}. Please try again in a few minutes.`,
      );
    }
    return { booking: await markPaymentRequested(tx, booking.id, ctx.now()), changed: true };
  });
  if (changed) ctx.onBookingStatus?.(booking.status);
  await handToPayment(ctx, booking);
  return booking;
}
