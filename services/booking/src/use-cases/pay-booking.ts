import { conflict, gone, serviceUnavailable } from '@tourkit/kit';
import type { Booking, BookingStatus } from '../domain/booking.js';
import type { BookingContext } from './context.js';
import { getBooking } from './get-booking.js';
import { applySagaEvent } from './saga-step.js';

/** A link followed before: its payment is queued, under way or done. */
const ALREADY_PAYING: readonly BookingStatus[] = [
  'PENDING_PAYMENT',
  'PAYMENT_UNKNOWN',
  'CONFIRMED',
];

/**
 * The traveller follows the payment link of a pay-later reservation: RESERVED_PENDING_PAYMENT →
 * PENDING_PAYMENT and onto the payment queue. Repeating it while the payment runs, or after it
 * succeeded, changes nothing and answers the booking as it is (a double click is not an error).
 */
export async function payBooking(
  ctx: BookingContext,
  userId: string,
  bookingId: string,
): Promise<Booking> {
  const booking = await getBooking(ctx, userId, bookingId);
  if (ALREADY_PAYING.includes(booking.status)) return booking;
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
  // A concurrent follow of the same link got there first (and the worker may already be done).
  if (result.booking && ALREADY_PAYING.includes(result.booking.status)) return result.booking;
  throw conflict(result.refusal);
}
