import { notFound } from '@tourkit/kit';
import type { Booking } from '../domain/booking.js';
import { findBooking } from '../store/bookings.js';
import type { BookingContext } from './context.js';

/** The traveller looks at one of their bookings; another user's is reported missing, not forbidden, so ids do not leak. */
export async function getBooking(
  ctx: BookingContext,
  userId: string,
  bookingId: string,
): Promise<Booking> {
  const booking = await findBooking(ctx.pool, bookingId);
  if (!booking || booking.userId !== userId) throw notFound(`booking ${bookingId} not found`);
  return booking;
}
