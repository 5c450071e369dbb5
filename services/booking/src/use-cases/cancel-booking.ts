import { conflict, notFound, withTransaction } from '@tourkit/kit';
import { cancellationRefusal, seatReference, type Booking } from '../domain/booking.js';
import { refundRequest } from '../domain/outbox-messages.js';
import { findBooking, markCancelled } from '../store/bookings.js';
import { addToOutbox } from '../store/outbox.js';
import { releasePromo } from '../store/promos.js';
import type { BookingContext } from './context.js';

/** The traveller cancels an active booking: a single-use promo comes back, the seats go back to catalog, a paid booking is refunded. */
export async function cancelBooking(
  ctx: BookingContext,
  userId: string,
  bookingId: string,
): Promise<Booking> {
  const cancelled = await withTransaction(ctx.pool, async (tx) => {
    const booking = await findBooking(tx, bookingId, { forUpdate: true });
    if (!booking || booking.userId !== userId) throw notFound(`booking ${bookingId} not found`);
    const refusal = cancellationRefusal(booking, ctx.now());
    if (refusal) throw conflict(refusal);
    const updated = await markCancelled(tx, booking.id, ctx.now());
    await releasePromo(tx, booking.id);
    // A paid booking is refunded through the outbox: a payment outage delays it, never loses it.
    if (booking.status === 'CONFIRMED' && booking.paymentId)
      await addToOutbox(tx, refundRequest(booking, booking.paymentId));
    const seats = await ctx.catalog.changeSeats(
      booking.tourId,
      -booking.travellers,
      seatReference(booking.id, 'release'),
    );
    if (seats !== 'ok') {
      // The booking is cancelled either way; catalog's count is already lower than ours.
      ctx.logger.warn(
        { bookingId, tourId: booking.tourId, seats },
        'catalog refused to release seats',
      );
    }
    return updated;
  });
  ctx.onBookingStatus?.(cancelled.status);
  ctx.payments.wakeOutbox();
  return cancelled;
}
