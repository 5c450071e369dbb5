import { CANCELLABLE_STATUSES, type Booking } from '../domain/booking.js';
import { findBooking } from './bookings.js';
import type { Queryable } from './queryable.js';

/** The tour's bookings that hold seats or may (CANCELLABLE_STATUSES), locked for the caller's transaction, oldest first. */
export async function lockLiveBookingsOfTour(db: Queryable, tourId: string): Promise<Booking[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM bookings WHERE tour_id = $1 AND status = ANY($2)
      ORDER BY created_at, id FOR UPDATE`,
    [tourId, CANCELLABLE_STATUSES],
  );
  const bookings: Booking[] = [];
  for (const { id } of rows) bookings.push((await findBooking(db, id))!);
  return bookings;
}

/** The tour moved: the booking (and so its reminder) follows. */
export async function rescheduleBooking(
  db: Queryable,
  id: string,
  startsAt: Date,
  now: Date,
): Promise<void> {
  await db.query('UPDATE bookings SET tour_starts_at = $2, updated_at = $3 WHERE id = $1', [
    id,
    startsAt,
    now,
  ]);
}
