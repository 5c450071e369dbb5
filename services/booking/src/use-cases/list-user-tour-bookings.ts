import type { Booking } from '../domain/booking.js';
import { bookingsOfUserForTour } from '../store/bookings.js';
import type { BookingContext } from './context.js';

/** Review asks whether a user booked a tour: every booking of theirs for it, any status, oldest first. */
export function listUserTourBookings(
  ctx: BookingContext,
  userId: string,
  tourId: string,
): Promise<Booking[]> {
  return bookingsOfUserForTour(ctx.pool, userId, tourId);
}
