import { CANCELLABLE_STATUSES, type Booking } from './booking.js';
import type { OutboxMessage } from './outbox-messages.js';

/** What catalog tells booking when a tour changes (POST /internal/tours/:tourId/changed). */
export interface TourChange {
  startsAt: Date;
  status: 'SCHEDULED' | 'CANCELLED';
  /** IANA zone the traveller reads the start time in. */
  timeZone: string;
}

/** What one booking must undergo for a tour change. */
export type TourChangePlan =
  { kind: 'none' } | { kind: 'reschedule'; startsAt: Date } | { kind: 'cancel' };

/**
 * Decides, for one booking, what a tour change means (pure). Only bookings that hold seats, or may
 * (their reservation or charge still unknown), are concerned; a change they already carry is
 * nothing, so the same change twice is applied once. A cancellation is the saga's `cancelled`
 * event (src/domain/saga.ts), which decides the seat release and the refund for each state.
 */
export function tourChangePlan(
  booking: Pick<Booking, 'status' | 'tourStartsAt'>,
  change: TourChange,
): TourChangePlan {
  if (!CANCELLABLE_STATUSES.includes(booking.status)) return { kind: 'none' };
  if (change.status === 'CANCELLED') return { kind: 'cancel' };
  if (booking.tourStartsAt.getTime() === change.startsAt.getTime()) return { kind: 'none' };
  return { kind: 'reschedule', startsAt: change.startsAt };
}

/**
 * The traveller's e-mail about the change: once per booking and new start time (a tour moved back
 * and forth is told each distinct time once), once per booking for a cancellation.
 */
export function tourChangeEmail(
  booking: Pick<Booking, 'id' | 'userId' | 'tourId' | 'tourStartsAt'>,
  change: TourChange,
): OutboxMessage {
  const startsAt = change.startsAt.toISOString();
  const dedupeKey =
    change.status === 'CANCELLED'
      ? `tour-cancelled:${booking.id}`
      : `tour-changed:${booking.id}:${startsAt}`;
  return {
    kind: 'notification',
    dedupeKey,
    payload: {
      type: 'tour-changed',
      dedupeKey,
      userId: booking.userId,
      bookingId: booking.id,
      tourId: booking.tourId,
      data: {
        status: change.status,
        startsAt,
        previousStartsAt: booking.tourStartsAt.toISOString(),
        timeZone: change.timeZone,
      },
    },
  };
}
