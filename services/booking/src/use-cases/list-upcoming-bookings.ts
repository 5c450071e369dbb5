import type { Booking } from '../domain/booking.js';
import { bookingsStartingBetween } from '../store/bookings.js';
import type { BookingContext } from './context.js';

/** Notification's reminder job asks which active bookings start within `withinMs` from now. */
export async function listUpcomingBookings(
  ctx: BookingContext,
  withinMs: number,
  limit: number,
): Promise<{ from: Date; until: Date; items: Booking[] }> {
  const from = ctx.now();
  const until = new Date(from.getTime() + withinMs);
  return { from, until, items: await bookingsStartingBetween(ctx.pool, from, until, limit) };
}
