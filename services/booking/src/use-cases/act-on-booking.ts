import { HttpProblem, notFound } from '@tourkit/kit';
import type { Booking } from '../domain/booking.js';
import type { StaffAction } from '../domain/saga.js';
import { insertAudit, type AuditEntry } from '../store/audit.js';
import type { BookingContext } from './context.js';
import { applySagaEvent } from './saga-step.js';

/**
 * A member of staff acts on a booking that needs a person (retry-payment, cancel-and-release,
 * mark-resolved). The saga's pure rule says from which states each action is allowed; the change
 * and its audit row (who, when, what, why, from → to) commit together.
 */
export async function actOnBooking(
  ctx: BookingContext,
  actorId: string,
  bookingId: string,
  action: StaffAction,
  reason: string,
): Promise<{ booking: Booking; audit: AuditEntry }> {
  let audit: AuditEntry | undefined;
  const result = await applySagaEvent(
    ctx,
    bookingId,
    { type: 'staff-action', action },
    {
      alsoInTransaction: async (tx, before, after) => {
        audit = await insertAudit(tx, {
          bookingId,
          actorId,
          action,
          reason,
          fromStatus: before.status,
          toStatus: after.status,
        });
      },
    },
  );
  if (!result.applied) {
    if (!result.booking) throw notFound(`booking ${bookingId} not found`);
    throw new HttpProblem(409, 'action-not-allowed', 'Action not allowed in this state', {
      detail: result.refusal,
      errors: [{ field: 'action', message: result.refusal }],
      extensions: { bookingStatus: result.booking.status },
    });
  }
  ctx.logger.info(
    { bookingId, actorId, action, from: result.before.status, to: result.booking.status },
    'staff action on a booking',
  );
  return { booking: result.booking, audit: audit! };
}
