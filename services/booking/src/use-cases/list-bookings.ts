import type { Booking } from '../domain/booking.js';
import * as store from '../store/bookings.js';
import type { BookingContext } from './context.js';

/** The traveller lists their own bookings, newest first, optionally for one tour or status. */
export function listBookings(
  ctx: BookingContext,
  filter: store.BookingFilter,
): Promise<{ items: Booking[]; total: number }> {
  return store.listBookings(ctx.pool, filter);
}
