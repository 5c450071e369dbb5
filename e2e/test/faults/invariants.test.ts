import {
  checkChargedOnce,
  checkInvariants,
  checkMailOnce,
  checkMoney,
  checkSeats,
  checkSettled,
  countByInvariant,
  countRetransmissions,
  mailDue,
  type BookingRow,
  type MailRow,
  type FaultRows,
} from './invariants.js';
import { faultReport, faultTable } from './report.js';

// Hand-made rows: one consistent platform state, then each invariant broken on purpose.

const TOUR = 'tour-1';
const messageIdOf = (dedupeKey: string) => `<${dedupeKey}@test>`;

/** The e-mail of a dedupe key as the mailbox shows it (notification's header names its row). */
function mail(dedupeKey: string, recipient: string, subject: string): MailRow {
  return {
    messageId: messageIdOf(dedupeKey),
    recipient,
    subject,
    notification: `${dedupeKey.split(':')[0]}; id=row-${dedupeKey}`,
    retransmissions: 0,
  };
}

function booking(id: string, status: string, extra: Partial<BookingRow> = {}): BookingRow {
  return {
    id,
    tourId: TOUR,
    status,
    travellers: 2,
    totalCents: 4_800,
    expiresAt: null,
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    ...extra,
  };
}

/** Rows read 60 s after the bookings were made; the bounds are the suite's test-sized ones. */
const CHECKED_AT = '2030-01-01T00:01:00.000Z';
const BOUNDS = { seatReservationMs: 20_000, paymentUnknownMs: 20_000, graceMs: 5_000 };

/** b1 confirmed and paid, b2 failed (no seats, no money), b3 reserved until tomorrow. */
function consistent(): FaultRows {
  return {
    bookings: [
      booking('b1', 'CONFIRMED'),
      booking('b2', 'PAYMENT_FAILED'),
      booking('b3', 'RESERVED_PENDING_PAYMENT', { expiresAt: '2030-01-02T00:00:00.000Z' }),
    ],
    tours: [{ tourId: TOUR, bookedSeats: 4 }],
    payments: [
      { id: 'p1', bookingId: 'b1', status: 'SUCCEEDED', amountCents: 4_800, refundedCents: 0 },
      { id: 'p2', bookingId: 'b2', status: 'FAILED', amountCents: 4_800, refundedCents: 0 },
    ],
    providerOperations: [{ bookingId: 'b1', kind: 'charge', amountCents: 4_800 }],
    mails: [
      mail('booking-confirmed:b1', 'a@x', 'Confirmed'),
      mail('support-alert:payment-failed:b2', 's@x', 'Alert'),
      mail('payment-link:b3', 'a@x', 'Pay'),
    ],
    checkedAt: CHECKED_AT,
    bounds: BOUNDS,
  };
}

test('a consistent state breaks no invariant', () => {
  expect(checkInvariants(consistent(), messageIdOf)).toEqual([]);
});

describe('settled', () => {
  test('a booking still PENDING_PAYMENT after its bound', () => {
    const rows = consistent();
    rows.bookings.push(booking('b4', 'PENDING_PAYMENT'));
    expect(checkSettled(rows)).toEqual([
      expect.objectContaining({ invariant: 'settled', subject: 'booking b4' }),
    ]);
  });

  test('a reservation without expiresAt has no bounded exit', () => {
    const rows = consistent();
    rows.bookings[2]!.expiresAt = null;
    expect(checkSettled(rows)).toHaveLength(1);
  });

  test('an unknown status is not taken for settled', () => {
    const rows = consistent();
    rows.bookings.push(booking('b5', 'SOMETHING_NEW'));
    expect(checkSettled(rows)).toHaveLength(1);
  });

  test('REJECTED is terminal', () => {
    const rows = consistent();
    rows.bookings.push(booking('b6', 'REJECTED'));
    expect(checkSettled(rows)).toEqual([]);
  });

  test.each([
    ['RESERVING_SEATS', { createdAt: '2030-01-01T00:00:40.000Z' }],
    ['PAYMENT_UNKNOWN', { updatedAt: '2030-01-01T00:00:40.000Z' }],
    // Past its bound by less than the grace (the reconciler's interval): its exit is under way.
    ['PAYMENT_UNKNOWN', { updatedAt: '2030-01-01T00:00:37.000Z' }],
  ])('%s within its bound is visibly pending', (status, times) => {
    const rows = consistent();
    rows.bookings.push(booking('b7', status, times));
    expect(checkSettled(rows)).toEqual([]);
  });

  test.each([
    // Created 60 s before the check: 20 s bound + 5 s grace passed.
    ['RESERVING_SEATS', {}],
    // Created long ago, but its last change (into PAYMENT_UNKNOWN) is what the bound counts from.
    ['PAYMENT_UNKNOWN', { updatedAt: '2030-01-01T00:00:30.000Z' }],
  ])('%s past its bound is not settled', (status, times) => {
    const rows = consistent();
    rows.bookings.push(booking('b8', status, times));
    expect(checkSettled(rows)).toEqual([
      expect.objectContaining({
        subject: 'booking b8',
        detail: expect.stringContaining('after its bound'),
      }),
    ]);
  });
});

describe('seats', () => {
  test('seats reserved for a booking that does not exist (leaked)', () => {
    const rows = consistent();
    rows.tours[0]!.bookedSeats = 7;
    expect(checkSeats(rows)).toEqual([
      expect.objectContaining({ invariant: 'seats', detail: expect.stringContaining('leaked 3') }),
    ]);
  });

  test('a PAYMENT_FAILED booking still holding its seats', () => {
    const rows = consistent();
    rows.tours[0]!.bookedSeats = 6; // b2's two seats never released
    expect(checkSeats(rows)).toHaveLength(1);
  });

  test('a PAYMENT_UNKNOWN booking holds its seats', () => {
    const rows = consistent();
    rows.bookings.push(booking('b9', 'PAYMENT_UNKNOWN'));
    expect(checkSeats(rows)).toHaveLength(1);
    rows.tours[0]!.bookedSeats = 6;
    expect(checkSeats(rows)).toEqual([]);
  });

  test('a RESERVING_SEATS booking may hold its seats or not, but no more', () => {
    const rows = consistent();
    rows.bookings.push(booking('b10', 'RESERVING_SEATS'));
    expect(checkSeats(rows)).toEqual([]);
    rows.tours[0]!.bookedSeats = 6;
    expect(checkSeats(rows)).toEqual([]);
    rows.tours[0]!.bookedSeats = 7;
    expect(checkSeats(rows)).toEqual([
      expect.objectContaining({ detail: expect.stringContaining('leaked 1') }),
    ]);
    rows.tours[0]!.bookedSeats = 3;
    expect(checkSeats(rows)).toEqual([
      expect.objectContaining({ detail: expect.stringContaining('oversold 1') }),
    ]);
  });

  test('a REJECTED booking holds no seats', () => {
    const rows = consistent();
    rows.bookings.push(booking('b11', 'REJECTED'));
    rows.tours[0]!.bookedSeats = 6;
    expect(checkSeats(rows)).toEqual([
      expect.objectContaining({ detail: expect.stringContaining('leaked 2') }),
    ]);
  });

  test('a live booking whose seats catalog does not hold (oversold)', () => {
    const rows = consistent();
    rows.tours[0]!.bookedSeats = 2;
    expect(checkSeats(rows)).toEqual([
      expect.objectContaining({ detail: expect.stringContaining('oversold 2') }),
    ]);
  });
});

describe('money', () => {
  test('a PAYMENT_FAILED booking whose card was charged', () => {
    const rows = consistent();
    rows.payments[1]!.status = 'SUCCEEDED';
    expect(checkMoney(rows)).toEqual([
      expect.objectContaining({ invariant: 'money', subject: 'booking b2' }),
    ]);
  });

  test('a CONFIRMED booking with no captured money', () => {
    const rows = consistent();
    rows.payments.shift();
    expect(checkMoney(rows)).toEqual([
      expect.objectContaining({
        subject: 'booking b1',
        detail: expect.stringContaining('holds 0'),
      }),
    ]);
  });

  test('refunds above the capture', () => {
    const rows = consistent();
    rows.payments[0]!.refundedCents = 9_600;
    // The refund exceeds the payment, and the booking's capture is now negative.
    expect(checkMoney(rows)).toHaveLength(2);
  });

  test('a charge for a booking that does not exist', () => {
    const rows = consistent();
    rows.payments.push({
      id: 'p9',
      bookingId: 'ghost',
      status: 'SUCCEEDED',
      amountCents: 1_000,
      refundedCents: 0,
    });
    expect(checkMoney(rows)).toEqual([expect.objectContaining({ subject: 'booking ghost' })]);
  });
});

describe('charged once', () => {
  test('two SUCCEEDED charges for one booking', () => {
    const rows = consistent();
    rows.payments.push({
      id: 'p1b',
      bookingId: 'b1',
      status: 'SUCCEEDED',
      amountCents: 4_800,
      refundedCents: 0,
    });
    rows.providerOperations.push({ bookingId: 'b1', kind: 'charge', amountCents: 4_800 });
    const violations = checkChargedOnce(rows);
    expect(violations.map((v) => v.detail)).toEqual([
      '2 SUCCEEDED charges',
      'the provider carried out 2 charges',
    ]);
  });

  test('the provider charged a booking payment has no SUCCEEDED charge for', () => {
    const rows = consistent();
    rows.providerOperations.push({ bookingId: 'b2', kind: 'charge', amountCents: 4_800 });
    expect(checkChargedOnce(rows)).toEqual([
      expect.objectContaining({
        subject: 'booking b2',
        detail: "the provider holds 4800 cents, payment's records 0",
      }),
    ]);
  });
});

describe('mail once', () => {
  test('an e-mail twice in the mailbox', () => {
    const rows = consistent();
    rows.mails.push({ ...rows.mails[0]! });
    expect(checkMailOnce(rows, messageIdOf)).toEqual([
      expect.objectContaining({ invariant: 'mail-once', detail: 'in the mailbox 2 times' }),
    ]);
  });

  test('retransmissions with the same Message-ID are counted, not violations', () => {
    const rows = consistent();
    rows.mails[0]!.retransmissions = 2;
    rows.mails[2]!.retransmissions = 1;
    expect(checkMailOnce(rows, messageIdOf)).toEqual([]);
    expect(countRetransmissions(rows.mails)).toBe(3);
  });

  test('a notification sent again under another Message-ID', () => {
    const rows = consistent();
    rows.mails.push({ ...rows.mails[0]!, messageId: '<other@test>' });
    expect(checkMailOnce(rows, messageIdOf)).toEqual([
      expect.objectContaining({
        invariant: 'mail-once',
        subject: 'booking-confirmed; id=row-booking-confirmed:b1',
        detail: 'sent under 2 Message-IDs: in the mailbox 2 times',
      }),
    ]);
  });

  test('without a Message-ID, subject and recipient tell two sends apart', () => {
    const rows = consistent();
    const bare = {
      messageId: undefined,
      recipient: 'o@x',
      subject: 'New review',
      notification: undefined,
      retransmissions: 0,
    };
    rows.mails.push(bare, { ...bare });
    expect(checkMailOnce(rows, messageIdOf)).toHaveLength(1);
  });

  test('a confirmed booking whose confirmation never arrived', () => {
    const rows = consistent();
    rows.mails.shift();
    expect(checkMailOnce(rows, messageIdOf)).toEqual([
      expect.objectContaining({
        subject: 'booking b1',
        detail: expect.stringContaining('booking-confirmed'),
      }),
    ]);
  });

  test('which e-mail a status calls for', () => {
    expect(mailDue({ id: 'x', status: 'CONFIRMED' })).toBe('booking-confirmed:x');
    expect(mailDue({ id: 'x', status: 'RESERVED_PENDING_PAYMENT' })).toBe('payment-link:x');
    expect(mailDue({ id: 'x', status: 'PAYMENT_FAILED' })).toBe('support-alert:payment-failed:x');
    expect(mailDue({ id: 'x', status: 'EXPIRED' })).toBeNull();
  });
});

test('the table counts violations per invariant and shows errors', () => {
  const rows = consistent();
  rows.tours[0]!.bookedSeats = 9;
  rows.payments[1]!.status = 'SUCCEEDED';
  const violations = checkInvariants(rows, messageIdOf);
  expect(countByInvariant(violations)).toEqual({
    settled: 0,
    seats: 1,
    money: 1,
    'charged-once': 1,
    'mail-once': 0,
  });
  const table = faultTable([
    { fault: 'catalog down', violations, crashes: [], bookings: 3, retransmissions: 1 },
    {
      fault: 'redis down',
      violations: [],
      crashes: ['booking (pid 1) exited: code 1'],
      bookings: 0,
      retransmissions: 0,
      error: 'platform did not start',
    },
  ]);
  expect(table.split('\n')[0]).toMatch(/\| retransmissions \(same Message-ID\) \|$/);
  expect(table.split('\n')[2]).toBe('| catalog down | 3 | ✓ | ✗ 1 | ✗ 1 | ✗ 1 | ✓ | ✓ | 1 |');
  expect(table.split('\n')[3]).toBe(
    '| redis down | 0 | error | error | error | error | error | ✗ 1 | 0 |',
  );
  expect(
    faultReport([
      { fault: 'catalog down', violations, crashes: [], bookings: 3, retransmissions: 0 },
    ]),
  ).toContain('- seats: tour tour-1: catalog holds 9 seats');
});
