import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  BOOKING_STATUSES,
  nextPoll,
  POLLING,
  travellerActions,
  type BookingStatus,
} from '../client/src/booking-status.js';

// The web app's one copy of booking's statuses (client/src/booking-status.ts) and the pure rules
// the booking page follows them by (BookingPage in client/src/pages/Booking.tsx).

/** Booking's contract, as it serves it at /openapi.yaml (generated from its zod schemas). */
async function bookingStatusesOfOpenApi(): Promise<string[]> {
  const text = await readFile(
    fileURLToPath(new URL('../../booking/openapi.yaml', import.meta.url)),
    'utf8',
  );
  const document = parse(text) as {
    components?: { schemas?: Record<string, { enum?: string[] }> };
  };
  const statuses = document.components?.schemas?.BookingStatus?.enum;
  if (!statuses) throw new Error('no BookingStatus enum in services/booking/openapi.yaml');
  return statuses;
}

/**
 * What the page does against a booking whose status, each time it is asked, is the next of
 * `answers` (the last repeats): the statuses it saw, and how it ended.
 */
function follow(answers: BookingStatus[]): { seen: BookingStatus[]; end: 'settled' | 'give-up' } {
  const seen: BookingStatus[] = [];
  let polled: { status?: BookingStatus; count: number } = { count: 0 };
  for (let asked = 0; ; asked += 1) {
    const status = answers[Math.min(asked, answers.length - 1)]!;
    seen.push(status);
    const polls = polled.status === status ? polled.count : 0;
    const decision = nextPoll(status, polls);
    if (decision.kind !== 'wait') return { seen, end: decision.kind };
    expect(decision.delayMs).toBeGreaterThan(0);
    polled = { status, count: polls + 1 };
  }
}

describe('booking statuses in the web app', () => {
  test("are exactly booking's (openapi.yaml BookingStatus)", async () => {
    expect([...BOOKING_STATUSES].sort()).toEqual((await bookingStatusesOfOpenApi()).sort());
  });

  test('202 → RESERVING_SEATS is followed until PENDING_PAYMENT, then until CONFIRMED', () => {
    const { seen, end } = follow([
      'RESERVING_SEATS',
      'RESERVING_SEATS',
      'RESERVING_SEATS',
      'PENDING_PAYMENT',
      'PENDING_PAYMENT',
      'CONFIRMED',
    ]);
    expect(end).toBe('settled');
    expect(seen.at(-1)).toBe('CONFIRMED');
    expect(seen).toHaveLength(6);
  });

  test('202 → RESERVING_SEATS ending REJECTED (no seats after all) settles there', () => {
    expect(follow(['RESERVING_SEATS', 'REJECTED'])).toEqual({
      seen: ['RESERVING_SEATS', 'REJECTED'],
      end: 'settled',
    });
  });

  test('a booking stuck in RESERVING_SEATS is asked a bounded number of times, then the page gives up', () => {
    const { seen, end } = follow(['RESERVING_SEATS']);
    expect(end).toBe('give-up');
    expect(seen).toHaveLength(POLLING.RESERVING_SEATS!.maxPolls + 1);
  });

  test('a new status starts its own count: a long reservation does not eat the payment budget', () => {
    const reserving = POLLING.RESERVING_SEATS!.maxPolls;
    const answers: BookingStatus[] = [
      ...Array<BookingStatus>(reserving).fill('RESERVING_SEATS'),
      'PENDING_PAYMENT',
      'CONFIRMED',
    ];
    expect(follow(answers).end).toBe('settled');
  });

  test.each(['PENDING_PAYMENT', 'PAYMENT_UNKNOWN'] as const)(
    '%s is followed within a bound',
    (status) => {
      const { end, seen } = follow([status]);
      expect(end).toBe('give-up');
      expect(seen).toHaveLength(POLLING[status]!.maxPolls + 1);
    },
  );

  test.each([
    'CONFIRMED',
    'PAYMENT_FAILED',
    'REJECTED',
    'CANCELLED',
    'EXPIRED',
    'RESERVED_PENDING_PAYMENT',
  ] as const)('%s is not polled (it ends, or waits for the traveller)', (status) => {
    expect(nextPoll(status, 0)).toEqual({ kind: 'settled' });
  });

  test('a traveller may cancel what booking lets them cancel, before the tour starts', () => {
    const cancellable = BOOKING_STATUSES.filter((s) => travellerActions(s, false).cancel);
    expect(cancellable.sort()).toEqual(
      [
        'CONFIRMED',
        'PAYMENT_UNKNOWN',
        'PENDING_PAYMENT',
        'RESERVED_PENDING_PAYMENT',
        'RESERVING_SEATS',
      ].sort(),
    );
    expect(BOOKING_STATUSES.filter((s) => travellerActions(s, true).cancel)).toEqual([]);
  });

  test('only a pay-later reservation is paid, and only a confirmed tour that took place reviewed', () => {
    expect(BOOKING_STATUSES.filter((s) => travellerActions(s, false).pay)).toEqual([
      'RESERVED_PENDING_PAYMENT',
    ]);
    expect(BOOKING_STATUSES.filter((s) => travellerActions(s, true).review)).toEqual(['CONFIRMED']);
    expect(BOOKING_STATUSES.filter((s) => travellerActions(s, false).review)).toEqual([]);
  });
});
