import type { Booking } from '../domain/booking.js';
import type { BookingContext } from './context.js';

/** Hands a committed booking to the background runtime; a failed enqueue is picked up by the re-enqueue loop. */
export async function handToPayment(ctx: BookingContext, booking: Booking): Promise<void> {
  if (booking.status === 'RESERVED_PENDING_PAYMENT') {
    ctx.payments.wakeOutbox();
    return;
  }
  if (booking.status !== 'PENDING_PAYMENT') return;
  try {
    await ctx.payments.enqueue(booking.id);
  } catch (error) {
    ctx.logger.warn(
      { err: error, bookingId: booking.id },
      'could not enqueue the payment; the re-enqueue loop will',
    );
  }
}
