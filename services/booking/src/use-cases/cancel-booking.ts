import { conflict } from '@tourkit/kit';
import { cancellationRefusal, type Booking } from '../domain/booking.js';
import type { BookingContext } from './context.js';
import { getBooking } from './get-booking.js';
import { applySagaEvent } from './saga-step.js';

/**
 * The traveller cancels a booking of a tour not started: a single-use promo comes back; the seat
 * release and any refund are outbox messages of the same commit (no catalog or payment call inside
 * the transaction; an outage delays them, never loses them).
 */
export async function cancelBooking(
  ctx: BookingContext,
  userId: string,
  bookingId: string,
): Promise<Booking> {
  const booking = await getBooking(ctx, userId, bookingId);
  const refusal = cancellationRefusal(booking, ctx.now());
  if (refusal) throw conflict(refusal);
  const result = await applySagaEvent(ctx, bookingId, { type: 'cancelled' });
  if (!result.applied) throw conflict(result.refusal);
  return result.booking;
}
