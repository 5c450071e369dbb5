import type { Logger } from '@tourkit/kit';
import type { Directory } from './directory.js';
import { reminderDedupeKey } from './domain/notification.js';
import type { Notifications } from './notifications.js';

export interface ReminderSweepResult {
  bookings: number;
  queued: number;
  duplicates: number;
}

/**
 * Asks booking for the bookings starting within `within` and submits one reminder per booking.
 * The dedupe key `reminder:<bookingId>` makes a second run (or a second replica) a no-op.
 */
export async function runReminderSweep(deps: {
  directory: Directory;
  notifications: Notifications;
  within: string;
  logger: Logger;
}): Promise<ReminderSweepResult> {
  const bookings = await deps.directory.upcomingBookings(deps.within);
  const result: ReminderSweepResult = { bookings: bookings.length, queued: 0, duplicates: 0 };
  for (const booking of bookings) {
    const submitted = await deps.notifications.submit({
      type: 'reminder',
      dedupeKey: reminderDedupeKey(booking.id),
      userId: booking.userId,
      tourId: booking.tourId,
      bookingId: booking.id,
      data: { tourStartsAt: booking.tourStartsAt },
    });
    if (submitted.status === 'queued') result.queued += 1;
    else result.duplicates += 1;
  }
  deps.logger.info({ ...result, within: deps.within }, 'reminder sweep done');
  return result;
}
