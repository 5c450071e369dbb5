import { reminderDedupeKey } from '../domain/notification.js';
import type { NotificationContext } from './context.js';
import { submitNotification } from './submit-notification.js';

export interface ReminderSweepResult {
  bookings: number;
  queued: number;
  duplicates: number;
}

/**
 * The hourly job (and POST /internal/jobs/reminders/run): asks booking for the bookings starting within `within` and submits one reminder per booking.
 * The dedupe key `reminder:<bookingId>:<tourStartsAt>` makes a second run (or a second replica) a
 * no-op, and a tour moved to another time gets one reminder for its new time.
 */
export async function runReminderSweep(
  ctx: NotificationContext,
  within: string,
): Promise<ReminderSweepResult> {
  const bookings = await ctx.directory.upcomingBookings(within);
  const result: ReminderSweepResult = { bookings: bookings.length, queued: 0, duplicates: 0 };
  for (const booking of bookings) {
    const submitted = await submitNotification(ctx, {
      type: 'reminder',
      dedupeKey: reminderDedupeKey(booking.id, booking.tourStartsAt),
      userId: booking.userId,
      tourId: booking.tourId,
      bookingId: booking.id,
      data: { tourStartsAt: booking.tourStartsAt },
    });
    if (submitted.status === 'queued') result.queued += 1;
    else result.duplicates += 1;
  }
  ctx.logger.info({ ...result, within }, 'reminder sweep done');
  return result;
}
