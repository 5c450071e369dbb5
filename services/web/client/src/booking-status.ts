// Booking's statuses as the traveller meets them, in one place for the whole app: the list (as
// booking's openapi.yaml `Booking.status` enum and services/booking/src/domain/booking.ts
// BOOKING_STATUSES have it; test/booking-status.test.ts checks they agree), what a traveller may
// do in each (booking's CANCELLABLE_STATUSES and its pay link), and how long the app waits for a
// status that is still moving. Pure: no React, no fetch, no clock (time comes in as arguments).

export const BOOKING_STATUSES = [
  'RESERVING_SEATS',
  'PENDING_PAYMENT',
  'PAYMENT_UNKNOWN',
  'CONFIRMED',
  'PAYMENT_FAILED',
  'RESERVED_PENDING_PAYMENT',
  'REJECTED',
  'CANCELLED',
  'EXPIRED',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Booking's CANCELLABLE_STATUSES: active bookings and those whose next step is still unknown. */
const CANCELLABLE: ReadonlySet<BookingStatus> = new Set<BookingStatus>([
  'RESERVING_SEATS',
  'PENDING_PAYMENT',
  'PAYMENT_UNKNOWN',
  'RESERVED_PENDING_PAYMENT',
  'CONFIRMED',
]);

/** What the traveller may do with a booking (the tour's start decides cancel and review). */
export interface TravellerActions {
  cancel: boolean;
  pay: boolean;
  review: boolean;
}

export function travellerActions(status: BookingStatus, tourStarted: boolean): TravellerActions {
  return {
    cancel: CANCELLABLE.has(status) && !tourStarted,
    // booking's POST /v1/bookings/:id/pay takes only a pay-later reservation.
    pay: status === 'RESERVED_PENDING_PAYMENT',
    review: status === 'CONFIRMED' && tourStarted,
  };
}

/**
 * How the app follows a status that is still moving, asked again every `intervalMs` for at most
 * `maxPolls` times on one page visit; then it stops and says so (booking keeps settling it: see
 * services/booking/README.md "The booking saga", each non-terminal state's bound).
 *
 * - RESERVING_SEATS: catalog's answer usually comes in a second; after 30 s booking's seat
 *   reconciler owns it (SEAT_RETRY_AFTER_MS), so the page stops asking there.
 * - PENDING_PAYMENT: the payment queue retries at 1, 2, 4, 8, 16 s; two minutes covers it.
 * - PAYMENT_UNKNOWN: booking's payment reconciler asks payment on its own interval; the page
 *   looks every 5 s for five minutes.
 */
export const POLLING: Readonly<
  Partial<Record<BookingStatus, { intervalMs: number; maxPolls: number }>>
> = {
  RESERVING_SEATS: { intervalMs: 1000, maxPolls: 30 },
  PENDING_PAYMENT: { intervalMs: 1000, maxPolls: 120 },
  PAYMENT_UNKNOWN: { intervalMs: 5000, maxPolls: 60 },
};

export type PollDecision =
  { kind: 'settled' } | { kind: 'wait'; delayMs: number } | { kind: 'give-up' };

/**
 * Whether to ask booking again: `polls` is how many times the page has already asked since the
 * booking entered `status` (a change of status starts the count again).
 */
export function nextPoll(status: BookingStatus, polls: number): PollDecision {
  const plan = POLLING[status];
  if (!plan) return { kind: 'settled' };
  if (polls >= plan.maxPolls) return { kind: 'give-up' };
  return { kind: 'wait', delayMs: plan.intervalMs };
}
