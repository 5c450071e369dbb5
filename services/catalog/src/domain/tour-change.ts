import type { Tour, TourStatus } from './tour.js';

/** The body of booking's POST /internal/tours/:tourId/changed (the contract between the branches). */
export interface TourChangedBody {
  startsAt: string;
  status: TourStatus;
  timeZone: string;
}

/** Whether a change must reach bookings: what travellers were told (when, where in time, whether). */
export function changesBookings(
  previous: Pick<Tour, 'startsAt' | 'status' | 'timeZone'>,
  next: Pick<Tour, 'startsAt' | 'status' | 'timeZone'>,
): boolean {
  return (
    previous.startsAt.getTime() !== next.startsAt.getTime() ||
    previous.status !== next.status ||
    previous.timeZone !== next.timeZone
  );
}

/** What booking is told: the tour as it is when the message is delivered, not when it was written. */
export function tourChangedBody(
  tour: Pick<Tour, 'startsAt' | 'status' | 'timeZone'>,
): TourChangedBody {
  return { startsAt: tour.startsAt.toISOString(), status: tour.status, timeZone: tour.timeZone };
}
