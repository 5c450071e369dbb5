/** A booking as booking's `GET /internal/bookings?user=&tour=` returns it (only the fields that decide). */
export interface BookingSummary {
  id: string;
  status: string;
  tourStartsAt: Date;
}

export type Eligibility =
  | { eligible: true; bookingId: string }
  | { eligible: false; reason: 'not-booked' | 'not-confirmed' | 'not-taken-place'; detail: string };

/**
 * Only a CONFIRMED booking counts: PENDING_PAYMENT, RESERVED_PENDING_PAYMENT (not paid yet) and
 * PAYMENT_FAILED, CANCELLED, EXPIRED (never went) did not buy a seat on the tour.
 * The tour must have started strictly before `now`.
 */
export function reviewEligibility(bookings: readonly BookingSummary[], now: Date): Eligibility {
  if (bookings.length === 0)
    return { eligible: false, reason: 'not-booked', detail: 'You have not booked this tour.' };
  const confirmed = bookings.filter((booking) => booking.status === 'CONFIRMED');
  if (confirmed.length === 0) {
    const statuses = [...new Set(bookings.map((booking) => booking.status))].join(', ');
    return {
      eligible: false,
      reason: 'not-confirmed',
      detail: `Only a confirmed booking allows a review; yours is ${statuses}.`,
    };
  }
  const taken = confirmed.find((booking) => booking.tourStartsAt.getTime() < now.getTime());
  if (taken) return { eligible: true, bookingId: taken.id };
  const earliest = confirmed.reduce((a, b) => (a.tourStartsAt <= b.tourStartsAt ? a : b));
  return {
    eligible: false,
    reason: 'not-taken-place',
    detail: `You can review this tour once it has taken place (it starts at ${earliest.tourStartsAt.toISOString()}).`,
  };
}
