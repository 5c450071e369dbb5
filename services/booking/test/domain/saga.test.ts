import { BOOKING_STATUSES, type BookingStatus } from '../../src/domain/booking.js';
import {
  NON_TERMINAL_STATUSES,
  STAFF_ACTIONS,
  classifyChargeFailure,
  decide,
  pastBound,
  paymentUnknownEvent,
  type SagaEvent,
} from '../../src/domain/saga.js';

const to = (from: BookingStatus, event: SagaEvent) => {
  const decision = decide(from, event);
  return decision.ok ? decision.to : `refused: ${decision.refusal}`;
};
const effects = (from: BookingStatus, event: SagaEvent) => {
  const decision = decide(from, event);
  if (!decision.ok) throw new Error(decision.refusal);
  return decision.effects;
};

const bounds = { seatRetryAfterMs: 1_000, seatReservationMs: 60_000, paymentUnknownMs: 120_000 };
const t0 = new Date('2030-01-01T00:00:00Z');
const after = (ms: number) => new Date(t0.getTime() + ms);

describe('the booking saga', () => {
  test('seats: reserved → paid now or later; refused → REJECTED without a release; no answer past the bound → EXPIRED, released only if reserved', () => {
    expect(to('RESERVING_SEATS', { type: 'seats-reserved', payLater: false })).toBe(
      'PENDING_PAYMENT',
    );
    expect(effects('RESERVING_SEATS', { type: 'seats-reserved', payLater: false })).toContain(
      'enqueue-payment',
    );
    expect(to('RESERVING_SEATS', { type: 'seats-reserved', payLater: true })).toBe(
      'RESERVED_PENDING_PAYMENT',
    );
    expect(effects('RESERVING_SEATS', { type: 'seats-reserved', payLater: true })).toContain(
      'send-payment-link',
    );
    const refused = effects('RESERVING_SEATS', {
      type: 'seats-refused',
      reason: 'not-enough-seats',
    });
    expect(to('RESERVING_SEATS', { type: 'seats-refused', reason: 'not-enough-seats' })).toBe(
      'REJECTED',
    );
    expect(refused).toEqual(expect.arrayContaining(['give-back-promo', 'store-create-response']));
    expect(refused).not.toContain('release-seats');
    expect(refused).not.toContain('release-seats-if-reserved');
    expect(to('RESERVING_SEATS', { type: 'seats-deadline-passed' })).toBe('EXPIRED');
    expect(effects('RESERVING_SEATS', { type: 'seats-deadline-passed' })).toEqual(
      expect.arrayContaining(['give-back-promo', 'release-seats-if-reserved']),
    );
    // The seat answer settles a booking once: a late answer after another settled it is refused.
    expect(to('PENDING_PAYMENT', { type: 'seats-reserved', payLater: false })).toMatch(/refused/);
    expect(to('EXPIRED', { type: 'seats-refused', reason: 'tour-not-found' })).toMatch(/refused/);
  });

  test('charges: success confirms; a decline is final at once; provider-unavailable counts until the last attempt; an unknown outcome is its own state and not counted', () => {
    expect(to('PENDING_PAYMENT', { type: 'charge-succeeded' })).toBe('CONFIRMED');
    expect(effects('PENDING_PAYMENT', { type: 'charge-succeeded' })).toEqual([
      'count-attempt',
      'send-confirmation',
    ]);
    expect(to('PENDING_PAYMENT', { type: 'charge-declined' })).toBe('PAYMENT_FAILED');
    expect(to('PENDING_PAYMENT', { type: 'charge-failed', final: false })).toBe('PENDING_PAYMENT');
    expect(effects('PENDING_PAYMENT', { type: 'charge-failed', final: false })).toEqual([
      'count-attempt',
    ]);
    for (const event of [
      { type: 'charge-failed', final: true },
      { type: 'charge-declined' },
    ] as const) {
      expect(to('PENDING_PAYMENT', event)).toBe('PAYMENT_FAILED');
      expect(effects('PENDING_PAYMENT', event)).toEqual(
        expect.arrayContaining([
          'give-back-promo',
          'release-seats',
          'flag-manual-intervention',
          'alert-support',
        ]),
      );
    }
    expect(to('PENDING_PAYMENT', { type: 'charge-unknown' })).toBe('PAYMENT_UNKNOWN');
    expect(effects('PENDING_PAYMENT', { type: 'charge-unknown' })).toEqual([]);
    // A cancelled booking is not confirmed by a late charge (the worker refunds it instead).
    expect(to('CANCELLED', { type: 'charge-succeeded' })).toMatch(/refused/);
  });

  test("the payment reconciler's answers: SUCCEEDED confirms, DECLINED fails, FAILED or none goes back to the queue, PENDING waits; past the bound PAYMENT_FAILED with a refund if captured", () => {
    const found = (status: 'SUCCEEDED' | 'DECLINED' | 'FAILED' | 'NONE' | 'PENDING') =>
      ({ type: 'payment-found', status }) as const;
    expect(to('PAYMENT_UNKNOWN', found('SUCCEEDED'))).toBe('CONFIRMED');
    expect(effects('PAYMENT_UNKNOWN', found('SUCCEEDED'))).toContain('send-confirmation');
    expect(to('PAYMENT_UNKNOWN', found('DECLINED'))).toBe('PAYMENT_FAILED');
    expect(to('PAYMENT_UNKNOWN', found('FAILED'))).toBe('PENDING_PAYMENT');
    expect(to('PAYMENT_UNKNOWN', found('NONE'))).toBe('PENDING_PAYMENT');
    expect(effects('PAYMENT_UNKNOWN', found('NONE'))).toEqual(['enqueue-payment']);
    expect(to('PAYMENT_UNKNOWN', found('PENDING'))).toBe('PAYMENT_UNKNOWN');
    expect(to('PAYMENT_UNKNOWN', { type: 'payment-deadline-passed' })).toBe('PAYMENT_FAILED');
    expect(effects('PAYMENT_UNKNOWN', { type: 'payment-deadline-passed' })).toEqual(
      expect.arrayContaining([
        'release-seats',
        'give-back-promo',
        'refund-if-captured',
        'flag-manual-intervention',
        'alert-support',
      ]),
    );
  });

  test('paymentUnknownEvent reads the lookup: only our key counts, a success wins, PENDING or no answer waits until the bound', () => {
    const unknown = { status: 'PAYMENT_UNKNOWN' as const, statusChangedAt: t0 };
    const key = 'booking:b1';
    const event = (items: Array<{ status: string; idempotencyKey?: string }> | undefined, ms = 0) =>
      paymentUnknownEvent(unknown, items, key, after(ms), bounds);
    expect(event([{ status: 'FAILED' }, { status: 'SUCCEEDED', idempotencyKey: key }])).toEqual({
      type: 'payment-found',
      status: 'SUCCEEDED',
    });
    expect(event([{ status: 'SUCCEEDED', idempotencyKey: 'other' }])).toEqual({
      type: 'payment-found',
      status: 'NONE',
    });
    expect(event([])).toEqual({ type: 'payment-found', status: 'NONE' });
    expect(event([{ status: 'FAILED', idempotencyKey: key }])).toEqual({
      type: 'payment-found',
      status: 'FAILED',
    });
    expect(event([{ status: 'DECLINED' }])).toEqual({ type: 'payment-found', status: 'DECLINED' });
    expect(event([{ status: 'PENDING' }])).toBeNull();
    expect(event(undefined)).toBeNull();
    expect(event([{ status: 'PENDING' }], 120_000)).toEqual({ type: 'payment-deadline-passed' });
    expect(event(undefined, 120_000)).toEqual({ type: 'payment-deadline-passed' });
    // An answer still settles it after the bound: the bound is for when there is none.
    expect(event([], 500_000)).toEqual({ type: 'payment-found', status: 'NONE' });
  });

  test('every non-terminal state has a bounded exit', () => {
    expect(
      pastBound({ status: 'RESERVING_SEATS', statusChangedAt: t0 }, after(59_999), bounds),
    ).toBe(false);
    expect(
      pastBound({ status: 'RESERVING_SEATS', statusChangedAt: t0 }, after(60_000), bounds),
    ).toBe(true);
    expect(
      pastBound({ status: 'PAYMENT_UNKNOWN', statusChangedAt: t0 }, after(120_000), bounds),
    ).toBe(true);
    // PENDING_PAYMENT is bounded by its attempts, RESERVED_PENDING_PAYMENT by its expiry sweep.
    const exits: Record<string, SagaEvent> = {
      RESERVING_SEATS: { type: 'seats-deadline-passed' },
      PAYMENT_UNKNOWN: { type: 'payment-deadline-passed' },
      PENDING_PAYMENT: { type: 'charge-failed', final: true },
      RESERVED_PENDING_PAYMENT: { type: 'reservation-expired' },
    };
    for (const status of NON_TERMINAL_STATUSES) {
      const decision = decide(status, exits[status]!);
      expect(decision.ok && !NON_TERMINAL_STATUSES.includes(decision.to)).toBe(true);
    }
  });

  test('terminal states take no saga event but a cancel or a staff action where allowed', () => {
    const terminal = BOOKING_STATUSES.filter((s) => !NON_TERMINAL_STATUSES.includes(s));
    const events: SagaEvent[] = [
      { type: 'seats-reserved', payLater: false },
      { type: 'charge-succeeded' },
      { type: 'payment-found', status: 'SUCCEEDED' },
      { type: 'reservation-expired' },
    ];
    for (const status of terminal)
      for (const event of events) expect(decide(status, event).ok).toBe(false);
  });

  test('cancel: what goes back depends on how far the booking got', () => {
    expect(effects('RESERVING_SEATS', { type: 'cancelled' })).toContain(
      'release-seats-if-reserved',
    );
    expect(effects('PENDING_PAYMENT', { type: 'cancelled' })).toEqual([
      'give-back-promo',
      'release-seats',
    ]);
    expect(effects('CONFIRMED', { type: 'cancelled' })).toContain('refund-payment');
    expect(effects('PAYMENT_UNKNOWN', { type: 'cancelled' })).toContain('refund-if-captured');
    for (const status of ['CANCELLED', 'EXPIRED', 'REJECTED', 'PAYMENT_FAILED'] as const)
      expect(decide(status, { type: 'cancelled' }).ok).toBe(false);
  });

  test('staff actions are allowed only from their states', () => {
    const staff = (from: BookingStatus, action: (typeof STAFF_ACTIONS)[number]) =>
      to(from, { type: 'staff-action', action });
    expect(staff('PAYMENT_UNKNOWN', 'retry-payment')).toBe('PENDING_PAYMENT');
    expect(effects('PAYMENT_UNKNOWN', { type: 'staff-action', action: 'retry-payment' })).toEqual(
      expect.arrayContaining(['reset-attempts', 'enqueue-payment']),
    );
    expect(staff('PAYMENT_FAILED', 'retry-payment')).toMatch(/refused: .*seats/);
    expect(staff('CONFIRMED', 'retry-payment')).toMatch(/refused/);
    expect(staff('PAYMENT_FAILED', 'mark-resolved')).toBe('PAYMENT_FAILED');
    expect(effects('PAYMENT_FAILED', { type: 'staff-action', action: 'mark-resolved' })).toEqual([
      'clear-manual-intervention',
    ]);
    expect(staff('PAYMENT_UNKNOWN', 'mark-resolved')).toMatch(/refused/);
    expect(staff('PAYMENT_FAILED', 'cancel-and-release')).toBe('CANCELLED');
    expect(staff('PAYMENT_UNKNOWN', 'cancel-and-release')).toBe('CANCELLED');
    expect(
      effects('PAYMENT_UNKNOWN', { type: 'staff-action', action: 'cancel-and-release' }),
    ).toEqual(expect.arrayContaining(['release-seats', 'refund-if-captured']));
    expect(staff('CANCELLED', 'cancel-and-release')).toMatch(/refused/);
    expect(staff('REJECTED', 'cancel-and-release')).toMatch(/refused/);
  });

  test('charge failures are read by problem type', () => {
    expect(classifyChargeFailure({ circuitOpen: true, problem: undefined })).toBe('circuit-open');
    expect(classifyChargeFailure({ circuitOpen: false, problem: 'payment-declined' })).toBe(
      'declined',
    );
    expect(classifyChargeFailure({ circuitOpen: false, problem: 'provider-unavailable' })).toBe(
      'provider-unavailable',
    );
    expect(classifyChargeFailure({ circuitOpen: false, problem: undefined })).toBe('unknown');
    expect(classifyChargeFailure({ circuitOpen: false, problem: 'internal-error' })).toBe(
      'unknown',
    );
  });
});
