import { withTransaction } from '@tourkit/kit';
import { tourChangeEmail, tourChangePlan, type TourChange } from '../domain/tour-change.js';
import { addToOutbox } from '../store/outbox.js';
import { lockLiveBookingsOfTour, rescheduleBooking } from '../store/tour-bookings.js';
import type { BookingContext } from './context.js';
import { afterSagaStep, applySagaEventInTransaction, type StepResult } from './saga-step.js';

export interface TourChangeOutcome {
  rescheduled: number;
  cancelled: number;
}

/**
 * Catalog says a tour changed: its live bookings follow the new start time, or are cancelled with
 * the tour through the saga's `cancelled` step (seats released, paid ones refunded, single-use
 * promo codes given back, each by the outbox), and each traveller is e-mailed once per change. One
 * transaction; a change the bookings already carry does nothing, so a redelivery is harmless.
 */
export async function applyTourChange(
  ctx: BookingContext,
  tourId: string,
  change: TourChange,
): Promise<TourChangeOutcome> {
  const steps: StepResult[] = [];
  const outcome = await withTransaction(ctx.pool, async (tx) => {
    const result: TourChangeOutcome = { rescheduled: 0, cancelled: 0 };
    for (const booking of await lockLiveBookingsOfTour(tx, tourId)) {
      const plan = tourChangePlan(booking, change);
      if (plan.kind === 'none') continue;
      if (plan.kind === 'reschedule') {
        await rescheduleBooking(tx, booking.id, plan.startsAt, ctx.now());
        result.rescheduled += 1;
      } else {
        const step = await applySagaEventInTransaction(tx, ctx, booking, { type: 'cancelled' });
        if (!step.applied) continue;
        steps.push(step);
        result.cancelled += 1;
      }
      await addToOutbox(tx, tourChangeEmail(booking, change));
    }
    return result;
  });
  for (const step of steps) await afterSagaStep(ctx, step);
  if (outcome.rescheduled + outcome.cancelled > 0) ctx.payments.wakeOutbox();
  return outcome;
}
