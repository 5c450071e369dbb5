import { withTransaction } from '@tourkit/kit';
import { refundRequest } from '../domain/outbox-messages.js';
import { tourChangeEmail, tourChangePlan, type TourChange } from '../domain/tour-change.js';
import { markCancelled } from '../store/bookings.js';
import { addToOutbox } from '../store/outbox.js';
import { releasePromo } from '../store/promos.js';
import { lockActiveBookingsOfTour, rescheduleBooking } from '../store/tour-bookings.js';
import type { BookingContext } from './context.js';

export interface TourChangeOutcome {
  rescheduled: number;
  cancelled: number;
}

/**
 * Catalog says a tour changed: its active bookings follow the new start time, or are cancelled
 * with the tour (paid ones refunded, single-use promo codes given back), and each traveller is
 * e-mailed once per change. One transaction; refunds and e-mails leave through the outbox. A
 * change the bookings already carry does nothing, so a redelivery is harmless.
 */
export async function applyTourChange(
  ctx: BookingContext,
  tourId: string,
  change: TourChange,
): Promise<TourChangeOutcome> {
  const outcome = await withTransaction(ctx.pool, async (tx) => {
    const result: TourChangeOutcome = { rescheduled: 0, cancelled: 0 };
    for (const booking of await lockActiveBookingsOfTour(tx, tourId)) {
      const plan = tourChangePlan(booking, change);
      if (plan.kind === 'none') continue;
      if (plan.kind === 'reschedule') {
        await rescheduleBooking(tx, booking.id, plan.startsAt, ctx.now());
        result.rescheduled += 1;
      } else {
        await markCancelled(tx, booking.id, ctx.now());
        await releasePromo(tx, booking.id);
        if (plan.refund && booking.paymentId)
          await addToOutbox(tx, refundRequest(booking, booking.paymentId));
        result.cancelled += 1;
      }
      await addToOutbox(tx, tourChangeEmail(booking, change));
    }
    return result;
  });
  for (let i = 0; i < outcome.cancelled; i += 1) ctx.onBookingStatus?.('CANCELLED');
  if (outcome.rescheduled + outcome.cancelled > 0) ctx.payments.wakeOutbox();
  return outcome;
}
