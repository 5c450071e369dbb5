import type { BookingStatus } from './booking.js';

/**
 * The booking saga (README, "The booking saga"): given the state a booking is in and what just
 * happened, the next state and the side effects to record with it. Pure: the use cases and the
 * background loops gather the event, call `decide`, and write the result in one transaction
 * (src/use-cases/saga-step.ts). An outcome that is not known (a timeout, a crash) is a state of its
 * own (RESERVING_SEATS, PAYMENT_UNKNOWN), left by a reconciler's answer or by its bound.
 */

export type SagaEvent =
  // The seat reservation at catalog (reference booking:<id>:reserve).
  | { type: 'seats-reserved'; payLater: boolean }
  | { type: 'seats-refused'; reason: 'not-enough-seats' | 'tour-not-found' }
  /** RESERVING_SEATS for longer than its bound without an answer from catalog. */
  | { type: 'seats-deadline-passed' }
  // One charge attempt (the payment worker).
  | { type: 'charge-succeeded' }
  /** 402 payment-declined: final, never retried. */
  | { type: 'charge-declined' }
  /** 503 provider-unavailable: not carried out; a counted attempt. `final` when it was the last one. */
  | { type: 'charge-failed'; final: boolean }
  /** Timeout, network error, 5xx other than provider-unavailable, or payment's 202 PENDING. */
  | { type: 'charge-unknown' }
  // The payment reconciler's answer (GET /internal/payments?bookingId=).
  | { type: 'payment-found'; status: 'SUCCEEDED' | 'DECLINED' | 'FAILED' | 'NONE' | 'PENDING' }
  /** PAYMENT_UNKNOWN for longer than its bound without a settled answer. */
  | { type: 'payment-deadline-passed' }
  // The traveller.
  | { type: 'payment-link-followed' }
  | { type: 'reservation-expired' }
  | { type: 'cancelled' }
  // Staff (POST /v1/admin/bookings/:id/actions).
  | { type: 'staff-action'; action: StaffAction };

export const STAFF_ACTIONS = ['retry-payment', 'cancel-and-release', 'mark-resolved'] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

export type SagaEffect =
  /** Delete the single-use promo redemption (the traveller may use the code again). */
  | 'give-back-promo'
  /** Outbox: seats back to catalog with reference booking:<id>:release. */
  | 'release-seats'
  /**
   * Outbox: the reserve may or may not have been applied, so the relay first repeats it (same
   * reference: catalog answers what it did) and releases only what it holds. A bare release could
   * give back seats another booking holds.
   */
  | 'release-seats-if-reserved'
  | 'send-confirmation'
  | 'send-payment-link'
  | 'alert-support'
  /** Outbox: refund the booking's succeeded charge (its payment id is known). */
  | 'refund-payment'
  /** Outbox: ask payment for the booking's charge and refund it if it was captured (outcome unknown). */
  | 'refund-if-captured'
  /** After commit: put the payment on the queue (again). */
  | 'enqueue-payment'
  /** The charge attempt counts towards PAYMENT_ATTEMPTS. */
  | 'count-attempt'
  | 'reset-attempts'
  | 'flag-manual-intervention'
  | 'clear-manual-intervention'
  /** The stored Idempotency-Key response becomes this outcome (a replay tells the truth). */
  | 'store-create-response';

export type SagaDecision =
  { ok: true; to: BookingStatus; effects: SagaEffect[] } | { ok: false; refusal: string };

/** States the saga leaves on its own (a worker, a reconciler or a sweep moves them on). */
export const NON_TERMINAL_STATUSES: readonly BookingStatus[] = [
  'RESERVING_SEATS',
  'PENDING_PAYMENT',
  'PAYMENT_UNKNOWN',
  'RESERVED_PENDING_PAYMENT',
];

/** States in which the booking holds seats at catalog (what the seat reconciler compares against). */
export const SEAT_HOLDING_STATUSES: readonly BookingStatus[] = [
  'PENDING_PAYMENT',
  'PAYMENT_UNKNOWN',
  'RESERVED_PENDING_PAYMENT',
  'CONFIRMED',
];

const go = (to: BookingStatus, ...effects: SagaEffect[]): SagaDecision => ({
  ok: true,
  to,
  effects,
});
const refuse = (refusal: string): SagaDecision => ({ ok: false, refusal });

/** Ending without payment: the seats and the promo use go back (DESIGN.md: nothing held for ever). */
const WITHOUT_PAYMENT: SagaEffect[] = ['give-back-promo', 'release-seats'];

export function decide(from: BookingStatus, event: SagaEvent): SagaDecision {
  switch (event.type) {
    case 'seats-reserved':
      if (from !== 'RESERVING_SEATS') break;
      return event.payLater
        ? go('RESERVED_PENDING_PAYMENT', 'send-payment-link', 'store-create-response')
        : go('PENDING_PAYMENT', 'enqueue-payment', 'store-create-response');
    case 'seats-refused':
      // Catalog refused: nothing was reserved, so nothing is released.
      if (from !== 'RESERVING_SEATS') break;
      return go('REJECTED', 'give-back-promo', 'store-create-response');
    case 'seats-deadline-passed':
      if (from !== 'RESERVING_SEATS') break;
      return go('EXPIRED', 'give-back-promo', 'release-seats-if-reserved', 'store-create-response');

    case 'charge-succeeded':
      if (from !== 'PENDING_PAYMENT') break;
      return go('CONFIRMED', 'count-attempt', 'send-confirmation');
    case 'charge-declined':
      if (from !== 'PENDING_PAYMENT') break;
      return go(
        'PAYMENT_FAILED',
        'count-attempt',
        ...WITHOUT_PAYMENT,
        'flag-manual-intervention',
        'alert-support',
      );
    case 'charge-failed':
      if (from !== 'PENDING_PAYMENT') break;
      return event.final
        ? go(
            'PAYMENT_FAILED',
            'count-attempt',
            ...WITHOUT_PAYMENT,
            'flag-manual-intervention',
            'alert-support',
          )
        : go('PENDING_PAYMENT', 'count-attempt');
    case 'charge-unknown':
      // Not a failure and not a counted attempt: the payment reconciler asks what happened.
      if (from !== 'PENDING_PAYMENT') break;
      return go('PAYMENT_UNKNOWN');

    case 'payment-found':
      if (from !== 'PAYMENT_UNKNOWN') break;
      switch (event.status) {
        case 'SUCCEEDED':
          return go('CONFIRMED', 'count-attempt', 'send-confirmation');
        case 'DECLINED':
          return go(
            'PAYMENT_FAILED',
            'count-attempt',
            ...WITHOUT_PAYMENT,
            'flag-manual-intervention',
            'alert-support',
          );
        case 'FAILED':
        case 'NONE':
          // Not carried out: another attempt (the same Idempotency-Key, so never a second charge).
          return go('PENDING_PAYMENT', 'enqueue-payment');
        case 'PENDING':
          return go('PAYMENT_UNKNOWN');
      }
      break;
    case 'payment-deadline-passed':
      if (from !== 'PAYMENT_UNKNOWN') break;
      // Whatever payment later settles, money is not kept for a booking that ended.
      return go(
        'PAYMENT_FAILED',
        ...WITHOUT_PAYMENT,
        'refund-if-captured',
        'flag-manual-intervention',
        'alert-support',
      );

    case 'payment-link-followed':
      if (from !== 'RESERVED_PENDING_PAYMENT') break;
      return go('PENDING_PAYMENT', 'enqueue-payment');
    case 'reservation-expired':
      if (from !== 'RESERVED_PENDING_PAYMENT') break;
      return go('EXPIRED', ...WITHOUT_PAYMENT);
    case 'cancelled':
      return cancel(from);

    case 'staff-action':
      return staffAction(from, event.action);
  }
  return refuse(`a ${from} booking cannot take the event ${event.type}`);
}

function cancel(from: BookingStatus): SagaDecision {
  switch (from) {
    case 'RESERVING_SEATS':
      return go(
        'CANCELLED',
        'give-back-promo',
        'release-seats-if-reserved',
        'store-create-response',
      );
    case 'PENDING_PAYMENT':
    case 'RESERVED_PENDING_PAYMENT':
      // A charge under way when the cancel commits is refunded by the worker (it finds CANCELLED).
      return go('CANCELLED', ...WITHOUT_PAYMENT);
    case 'PAYMENT_UNKNOWN':
      return go('CANCELLED', ...WITHOUT_PAYMENT, 'refund-if-captured');
    case 'CONFIRMED':
      return go('CANCELLED', ...WITHOUT_PAYMENT, 'refund-payment');
    default:
      return refuse(`a ${from} booking cannot be cancelled`);
  }
}

/**
 * What staff may do, and from where. retry-payment: a charge whose outcome stays unknown is tried
 * again with the same Idempotency-Key (payment replays a charge it made, never makes a second).
 * A PAYMENT_FAILED booking has given its seats back, so it is not retried: the traveller books
 * again. cancel-and-release: ends a booking that needs a person, giving back what it holds.
 * mark-resolved: a person dealt with a PAYMENT_FAILED booking; the flag is cleared.
 */
function staffAction(from: BookingStatus, action: StaffAction): SagaDecision {
  switch (action) {
    case 'retry-payment':
      if (from === 'PAYMENT_UNKNOWN')
        return go(
          'PENDING_PAYMENT',
          'reset-attempts',
          'clear-manual-intervention',
          'enqueue-payment',
        );
      return refuse(
        from === 'PAYMENT_FAILED'
          ? 'a PAYMENT_FAILED booking gave its seats back; the traveller books again'
          : `retry-payment applies to a PAYMENT_UNKNOWN booking, not ${from}`,
      );
    case 'cancel-and-release': {
      if (from === 'PAYMENT_FAILED')
        // Seats and promo already went back when it failed; a charge may still surface.
        return go('CANCELLED', 'refund-if-captured', 'clear-manual-intervention');
      const cancelled = cancel(from);
      return cancelled.ok
        ? { ...cancelled, effects: [...cancelled.effects, 'clear-manual-intervention'] }
        : refuse(`cancel-and-release does not apply to a ${from} booking`);
    }
    case 'mark-resolved':
      if (from === 'PAYMENT_FAILED') return go('PAYMENT_FAILED', 'clear-manual-intervention');
      return refuse(`mark-resolved applies to a PAYMENT_FAILED booking, not ${from}`);
  }
}

export interface SagaBounds {
  /** RESERVING_SEATS older than this: the reconciler asks catalog again (the request's own call is over). */
  seatRetryAfterMs: number;
  /** RESERVING_SEATS older than this ends EXPIRED. */
  seatReservationMs: number;
  /** PAYMENT_UNKNOWN older than this without a settled answer ends PAYMENT_FAILED. */
  paymentUnknownMs: number;
}

/** Whether a booking has been in its state past the bound of that state. */
export function pastBound(
  booking: { status: BookingStatus; statusChangedAt: Date },
  now: Date,
  bounds: SagaBounds,
): boolean {
  const age = now.getTime() - booking.statusChangedAt.getTime();
  if (booking.status === 'RESERVING_SEATS') return age >= bounds.seatReservationMs;
  if (booking.status === 'PAYMENT_UNKNOWN') return age >= bounds.paymentUnknownMs;
  return false;
}

/** What payment's lookup says, as the payment reconciler needs it. */
export interface PaymentRecord {
  status: string;
  idempotencyKey?: string | undefined;
}

/**
 * The payment reconciler's event for a PAYMENT_UNKNOWN booking from payment's answer (undefined:
 * no answer), or null to ask again later. Only the charge made with our key counts; a succeeded one
 * wins over the rest.
 */
export function paymentUnknownEvent(
  booking: { status: BookingStatus; statusChangedAt: Date },
  payments: PaymentRecord[] | undefined,
  chargeKey: string,
  now: Date,
  bounds: SagaBounds,
): SagaEvent | null {
  const ours = payments?.filter(
    (p) => p.idempotencyKey === undefined || p.idempotencyKey === chargeKey,
  );
  const statuses = new Set(ours?.map((p) => p.status));
  if (statuses.has('SUCCEEDED')) return { type: 'payment-found', status: 'SUCCEEDED' };
  if (ours !== undefined && !statuses.has('PENDING')) {
    if (statuses.has('DECLINED')) return { type: 'payment-found', status: 'DECLINED' };
    return { type: 'payment-found', status: statuses.has('FAILED') ? 'FAILED' : 'NONE' };
  }
  // PENDING, or no answer: ask again later, until the bound.
  return pastBound(booking, now, bounds) ? { type: 'payment-deadline-passed' } : null;
}

/** How a failed charge call is read (branching on payment's problem type, not the status code). */
export type ChargeFailure = 'declined' | 'provider-unavailable' | 'circuit-open' | 'unknown';

export function classifyChargeFailure(failure: {
  circuitOpen: boolean;
  problem: string | undefined;
}): ChargeFailure {
  if (failure.circuitOpen) return 'circuit-open';
  if (failure.problem === 'payment-declined') return 'declined';
  // The provider did not carry it out (or payment refused our key): safe to count and retry.
  if (failure.problem === 'provider-unavailable' || failure.problem === 'idempotency-key-reused')
    return 'provider-unavailable';
  // A timeout, a network error, another 5xx: the charge may or may not have happened.
  return 'unknown';
}
