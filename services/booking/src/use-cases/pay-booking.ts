import { conflict, gone, notFound, serviceUnavailable } from '@tourkit/kit';
import type { Booking } from '../domain/booking.js';
import { findBooking } from '../store/bookings.js';
import type { BookingContext } from './context.js';
import { applySagaEvent } from './saga-step.js';

/**
 * The traveller follows the payment link of a pay-later reservation: RESERVED_PENDING_PAYMENT →
 * PENDING_PAYMENT and onto the payment queue. Repeating it while the payment runs changes nothing.
 */
export async function payBooking(
  ctx: BookingContext,
  userId: string,
  bookingId: string,
): Promise<Booking> {
  const booking = await findBooking(ctx.pool, bookingId);
  if (!booking || booking.userId !== userId) throw notFound(`booking ${bookingId} not found`);
  if (booking.status === 'PENDING_PAYMENT') return booking;
  if (booking.status !== 'RESERVED_PENDING_PAYMENT')
    throw conflict(`a ${booking.status} booking cannot be paid`);
  if (booking.expiresAt && booking.expiresAt.getTime() <= ctx.now().getTime())
    throw gone(`this reservation expired at ${booking.expiresAt.toISOString()}`);
  if (!ctx.payments.acceptsPayments()) {
    throw serviceUnavailable(
      `Payment is temporarily unavailable; your reservation is kept until ${booking.expiresAt?.toISOString()}. Please try again in a few minutes.`,
    );
  }
  const result = await applySagaEvent(ctx, bookingId, { type: 'payment-link-followed' });
  if (result.applied) return result.booking;
  // A concurrent follow of the same link got there first.
  if (result.booking?.status === 'PENDING_PAYMENT') return result.booking;
  throw conflict(result.refusal);
}
