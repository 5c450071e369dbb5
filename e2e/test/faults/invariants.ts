// The invariants the fault suite checks after every injected fault (DESIGN.md, "Reliability
// rules"; issue 12, item 8). Pure: the rows come in (collected by ./collect.ts from each
// service's API, the mail catcher and the provider's ledger), the violations go out. No I/O, no
// clock, so each rule is unit-tested on hand-made rows (./invariants.test.ts).

/** A booking as booking's API shows it, reduced to what the invariants look at. */
export interface BookingRow {
  id: string;
  tourId: string;
  status: string;
  travellers: number;
  totalCents: number;
  /** When a pay-later reservation lapses: its bounded exit. */
  expiresAt: string | null;
  createdAt: string;
  /** The last change of the booking (its status's, at the latest). */
  updatedAt: string;
}

/**
 * The bounds of the saga's pending states as booking is configured (its env), and how late the
 * process that enforces them may run (its reconcile interval and more): RESERVING_SEATS ends
 * within `seatReservationMs` of the booking's creation, PAYMENT_UNKNOWN within
 * `paymentUnknownMs` of its last change (booking's README, "The booking saga").
 */
export interface SagaBounds {
  seatReservationMs: number;
  paymentUnknownMs: number;
  graceMs: number;
}

/** Catalog's count of booked seats of a tour (`GET /v1/tours/:id/availability`). */
export interface TourSeatsRow {
  tourId: string;
  bookedSeats: number;
}

/** A payment as payment's API shows it (`GET /internal/payments?bookingId=`). */
export interface PaymentRow {
  id: string;
  bookingId: string;
  status: string;
  amountCents: number;
  /** Sum of the payment's SUCCEEDED refunds. */
  refundedCents: number;
}

/** What the payment provider itself carried out (the simulator's ledger), by booking. */
export interface ProviderOperationRow {
  bookingId: string;
  kind: 'charge' | 'refund';
  amountCents: number;
}

/**
 * An e-mail in the traveller's mailbox (the mail catcher keeps the first message of a Message-ID,
 * as mail stores that de-duplicate by it do, and counts the retransmissions on it).
 */
export interface MailRow {
  messageId: string | undefined;
  recipient: string;
  subject: string;
  /** notification's `X-Tourkit-Notification` header (`<type>; id=<its row>`), when present. */
  notification: string | undefined;
  /** How many more times this Message-ID arrived (notification's at-least-once window). */
  retransmissions: number;
}

export interface FaultRows {
  bookings: BookingRow[];
  tours: TourSeatsRow[];
  payments: PaymentRow[];
  providerOperations: ProviderOperationRow[];
  mails: MailRow[];
  /** When the rows were read: a pending booking is judged against its bound at that instant. */
  checkedAt: string;
  bounds: SagaBounds;
}

export const INVARIANTS = ['settled', 'seats', 'money', 'charged-once', 'mail-once'] as const;
export type Invariant = (typeof INVARIANTS)[number];

export const INVARIANT_TITLES: Record<Invariant, string> = {
  settled: 'every booking terminal or visibly pending',
  seats: 'seats held = live bookings’ seats',
  money: 'captured = confirmed totals − refunds',
  'charged-once': 'nobody charged twice',
  'mail-once': 'every e-mail sent once',
};

export interface Violation {
  invariant: Invariant;
  /** The booking, tour or e-mail concerned. */
  subject: string;
  detail: string;
}

/**
 * Statuses a booking may rest in once the fault is healed. Terminal: nothing more happens.
 * Visibly pending: waiting for the traveller or a reconciler, with a bounded exit
 * (`exitDueAt`) not yet passed. Anything else (PENDING_PAYMENT, or a state this list does not
 * know) is still in flight.
 */
export const TERMINAL_STATUSES: readonly string[] = [
  'CONFIRMED',
  'PAYMENT_FAILED',
  'CANCELLED',
  'EXPIRED',
  'REJECTED',
];
export const VISIBLE_PENDING_STATUSES: readonly string[] = [
  'RESERVED_PENDING_PAYMENT',
  'RESERVING_SEATS',
  'PAYMENT_UNKNOWN',
];

/**
 * Bookings that hold seats. A booking that ended without payment (PAYMENT_FAILED, EXPIRED,
 * CANCELLED, REJECTED) holds none: issue 12, item 2 ("seats and promo use are released when a
 * booking ends without payment"). A PAYMENT_UNKNOWN booking keeps its seats until it settles.
 */
export const LIVE_STATUSES: readonly string[] = [
  'PENDING_PAYMENT',
  'CONFIRMED',
  'RESERVED_PENDING_PAYMENT',
  'PAYMENT_UNKNOWN',
];

/**
 * A RESERVING_SEATS booking may or may not hold its seats yet (catalog's answer is the unknown
 * the state stands for): its seats count as neither leaked nor oversold.
 */
export const MAYBE_HOLDING_STATUSES: readonly string[] = ['RESERVING_SEATS'];

/** When a visibly pending booking's bounded exit is due, or null if it has none. */
export function exitDueAt(
  booking: Pick<BookingRow, 'status' | 'expiresAt' | 'createdAt' | 'updatedAt'>,
  bounds: SagaBounds,
): number | null {
  switch (booking.status) {
    case 'RESERVED_PENDING_PAYMENT':
      return booking.expiresAt === null ? null : Date.parse(booking.expiresAt);
    case 'RESERVING_SEATS':
      return Date.parse(booking.createdAt) + bounds.seatReservationMs;
    case 'PAYMENT_UNKNOWN':
      return Date.parse(booking.updatedAt) + bounds.paymentUnknownMs;
    default:
      return null;
  }
}

/** Bookings whose total must have been captured. */
const PAID_STATUSES: readonly string[] = ['CONFIRMED'];

/**
 * The e-mail (dedupe key, booking's src/domain/outbox-messages.ts) that a booking at rest in this
 * status must have caused, or null.
 */
export function mailDue(booking: Pick<BookingRow, 'id' | 'status'>): string | null {
  switch (booking.status) {
    case 'CONFIRMED':
      return `booking-confirmed:${booking.id}`;
    case 'RESERVED_PENDING_PAYMENT':
      return `payment-link:${booking.id}`;
    case 'PAYMENT_FAILED':
      return `support-alert:payment-failed:${booking.id}`;
    default:
      return null;
  }
}

/** Every booking terminal, or visibly pending and not past its bound (with the bounds' grace). */
export function checkSettled(
  rows: Pick<FaultRows, 'bookings' | 'checkedAt' | 'bounds'>,
): Violation[] {
  const violations: Violation[] = [];
  const now = Date.parse(rows.checkedAt);
  for (const booking of rows.bookings) {
    if (TERMINAL_STATUSES.includes(booking.status)) continue;
    const due = VISIBLE_PENDING_STATUSES.includes(booking.status)
      ? exitDueAt(booking, rows.bounds)
      : null;
    if (due !== null && now <= due + rows.bounds.graceMs) continue;
    violations.push({
      invariant: 'settled',
      subject: `booking ${booking.id}`,
      detail: !VISIBLE_PENDING_STATUSES.includes(booking.status)
        ? `still ${booking.status} after its bound`
        : due === null
          ? `${booking.status} without expiresAt: no bounded exit`
          : `still ${booking.status} ${Math.round((now - due) / 1000)} s after its bound`,
    });
  }
  return violations;
}

/** Per tour: catalog's booked seats = the seats of the live bookings of that tour. */
export function checkSeats(rows: Pick<FaultRows, 'bookings' | 'tours'>): Violation[] {
  const violations: Violation[] = [];
  for (const tour of rows.tours) {
    const seatsOf = (statuses: readonly string[]) =>
      rows.bookings
        .filter((b) => b.tourId === tour.tourId && statuses.includes(b.status))
        .reduce((sum, b) => sum + b.travellers, 0);
    const live = seatsOf(LIVE_STATUSES);
    const maybe = seatsOf(MAYBE_HOLDING_STATUSES);
    if (tour.bookedSeats < live || tour.bookedSeats > live + maybe) {
      violations.push({
        invariant: 'seats',
        subject: `tour ${tour.tourId}`,
        detail: `catalog holds ${tour.bookedSeats} seats, live bookings hold ${live}${
          maybe > 0 ? ` (+ ${maybe} of bookings still reserving)` : ''
        } (${
          tour.bookedSeats < live
            ? `oversold ${live - tour.bookedSeats}`
            : `leaked ${tour.bookedSeats - live - maybe}`
        })`,
      });
    }
  }
  return violations;
}

/**
 * Per booking: the money payment captured for it (SUCCEEDED charges minus their refunds) = its
 * total when CONFIRMED, else 0; refunds never exceed the capture; a charge of a booking that
 * booking does not know is money nobody accounts for.
 */
export function checkMoney(rows: Pick<FaultRows, 'bookings' | 'payments'>): Violation[] {
  const violations: Violation[] = [];
  const known = new Set(rows.bookings.map((b) => b.id));
  for (const payment of rows.payments) {
    if (payment.refundedCents > payment.amountCents) {
      violations.push({
        invariant: 'money',
        subject: `payment ${payment.id}`,
        detail: `refunded ${payment.refundedCents} of ${payment.amountCents} cents`,
      });
    }
    if (!known.has(payment.bookingId) && payment.status === 'SUCCEEDED') {
      violations.push({
        invariant: 'money',
        subject: `booking ${payment.bookingId}`,
        detail: `${payment.amountCents - payment.refundedCents} cents captured for a booking that does not exist`,
      });
    }
  }
  for (const booking of rows.bookings) {
    const captured = capturedCents(rows.payments, booking.id);
    const expected = PAID_STATUSES.includes(booking.status) ? booking.totalCents : 0;
    if (captured !== expected) {
      violations.push({
        invariant: 'money',
        subject: `booking ${booking.id}`,
        detail: `${booking.status}: expected ${expected} cents captured, payment holds ${captured}`,
      });
    }
  }
  return violations;
}

/**
 * Per booking: at most one SUCCEEDED charge, at most one charge carried out by the provider, and
 * the provider's ledger agrees with payment's (same captured amount, net of refunds).
 */
export function checkChargedOnce(
  rows: Pick<FaultRows, 'bookings' | 'payments' | 'providerOperations'>,
): Violation[] {
  const violations: Violation[] = [];
  const bookingIds = new Set([
    ...rows.bookings.map((b) => b.id),
    ...rows.payments.map((p) => p.bookingId),
    ...rows.providerOperations.map((o) => o.bookingId),
  ]);
  for (const bookingId of bookingIds) {
    const succeeded = rows.payments.filter(
      (p) => p.bookingId === bookingId && p.status === 'SUCCEEDED',
    );
    if (succeeded.length > 1) {
      violations.push({
        invariant: 'charged-once',
        subject: `booking ${bookingId}`,
        detail: `${succeeded.length} SUCCEEDED charges`,
      });
    }
    const operations = rows.providerOperations.filter((o) => o.bookingId === bookingId);
    const providerCharges = operations.filter((o) => o.kind === 'charge');
    if (providerCharges.length > 1) {
      violations.push({
        invariant: 'charged-once',
        subject: `booking ${bookingId}`,
        detail: `the provider carried out ${providerCharges.length} charges`,
      });
    }
    const providerNet =
      sum(providerCharges.map((o) => o.amountCents)) -
      sum(operations.filter((o) => o.kind === 'refund').map((o) => o.amountCents));
    const paymentNet = capturedCents(rows.payments, bookingId);
    if (providerNet !== paymentNet) {
      violations.push({
        invariant: 'charged-once',
        subject: `booking ${bookingId}`,
        detail: `the provider holds ${providerNet} cents, payment's records ${paymentNet}`,
      });
    }
  }
  return violations;
}

/**
 * Every e-mail in the mailbox once (by Message-ID, else by subject and recipient), one
 * notification never sent under two Message-IDs (a retransmission must carry the first one's, so
 * that the mailbox keeps one), and every e-mail a booking's state calls for (mailDue) received.
 * Retransmissions with the same Message-ID are the design (notification's README, "The one
 * window we cannot close"): counted in the table, not violations. `messageIdOf` maps a dedupe
 * key to the Message-ID notification derives from it.
 */
export function checkMailOnce(
  rows: Pick<FaultRows, 'bookings' | 'mails'>,
  messageIdOf: (dedupeKey: string) => string,
): Violation[] {
  const violations: Violation[] = [];
  const counts = new Map<string, number>();
  const messageIdsOf = new Map<string, Set<string | undefined>>();
  for (const mail of rows.mails) {
    const key = mail.messageId ?? `${mail.subject} → ${mail.recipient}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (mail.notification !== undefined) {
      const ids = messageIdsOf.get(mail.notification) ?? new Set();
      messageIdsOf.set(mail.notification, ids.add(mail.messageId));
    }
  }
  for (const [key, count] of counts) {
    if (count > 1) {
      violations.push({
        invariant: 'mail-once',
        subject: key,
        detail: `in the mailbox ${count} times`,
      });
    }
  }
  for (const [notification, ids] of messageIdsOf) {
    if (ids.size > 1) {
      violations.push({
        invariant: 'mail-once',
        subject: notification,
        detail: `sent under ${ids.size} Message-IDs: in the mailbox ${ids.size} times`,
      });
    }
  }
  for (const booking of rows.bookings) {
    const dedupeKey = mailDue(booking);
    if (dedupeKey === null) continue;
    if (!counts.has(messageIdOf(dedupeKey))) {
      violations.push({
        invariant: 'mail-once',
        subject: `booking ${booking.id}`,
        detail: `${booking.status} but no ${dedupeKey.split(':')[0]} e-mail received`,
      });
    }
  }
  return violations;
}

/** All invariants at once. */
export function checkInvariants(
  rows: FaultRows,
  messageIdOf: (dedupeKey: string) => string,
): Violation[] {
  return [
    ...checkSettled(rows),
    ...checkSeats(rows),
    ...checkMoney(rows),
    ...checkChargedOnce(rows),
    ...checkMailOnce(rows, messageIdOf),
  ];
}

/** Retransmissions the mailbox kept once (same Message-ID): the at-least-once window at work. */
export function countRetransmissions(mails: readonly MailRow[]): number {
  return sum(mails.map((mail) => mail.retransmissions));
}

/** Violations per invariant (0 where it holds), in INVARIANTS order. */
export function countByInvariant(violations: readonly Violation[]): Record<Invariant, number> {
  const counts = Object.fromEntries(INVARIANTS.map((i) => [i, 0])) as Record<Invariant, number>;
  for (const violation of violations) counts[violation.invariant] += 1;
  return counts;
}

function capturedCents(payments: readonly PaymentRow[], bookingId: string): number {
  return sum(
    payments
      .filter((p) => p.bookingId === bookingId && p.status === 'SUCCEEDED')
      .map((p) => p.amountCents - p.refundedCents),
  );
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
