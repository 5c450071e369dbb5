import { addTestBooking, type TestBookingFields } from '../../src/testing.js';
import { INTERNAL_TOKEN, harnessForFile, userA, userB, type Harness } from './harness.js';

// Bookings around a pinned now, for the internal reads of notification (upcoming) and review
// (a user's bookings of a tour): one of each edge of the 24 h window, and statuses that do not count.
export const PINNED_NOW = new Date('2030-03-10T12:00:00.000Z');
const now = PINNED_NOW;
const HOUR = 3_600_000;
export const tourId = '00000000-0000-4000-8000-000000000077';
export const otherTourId = '00000000-0000-4000-8000-000000000078';

/** A 1-traveller booking of userA's starting `startsInMs` after the pinned now (addTestBooking's plain price). */
function booking(
  startsInMs: number,
  overrides: Partial<TestBookingFields> = {},
): TestBookingFields {
  return {
    userId: userA,
    tourId,
    status: 'PENDING_PAYMENT',
    tourStartsAt: new Date(now.getTime() + startsInMs),
    ...overrides,
  };
}

/** Inserts the bookings; their ids by name (started, in1ms, in23h, at24h, after24h, cancelled, failed). */
export async function addPinnedBookings(h: Harness): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const rows: Array<[string, TestBookingFields]> = [
    ['started', booking(0)],
    ['in1ms', booking(1)],
    ['in23h', booking(23 * HOUR, { status: 'CONFIRMED' })],
    ['at24h', booking(24 * HOUR, { status: 'RESERVED_PENDING_PAYMENT' })],
    ['after24h', booking(24 * HOUR + 1)],
    ['cancelled', booking(2 * HOUR, { status: 'CANCELLED' })],
    ['failed', booking(2 * HOUR, { status: 'PAYMENT_FAILED', userId: userB, tourId: otherTourId })],
  ];
  for (const [name, row] of rows) {
    if (row.status === 'CANCELLED') {
      const inserted = await addTestBooking(h, { ...row, status: 'PENDING_PAYMENT' });
      await h.pool.query(
        `UPDATE bookings SET status = 'CANCELLED', cancelled_at = now() WHERE id = $1`,
        [inserted.id],
      );
      ids[name] = inserted.id;
    } else {
      ids[name] = (await addTestBooking(h, row)).id;
    }
  }
  return ids;
}

/** The header a service's internal call carries. */
export const internal = { 'x-internal-token': INTERNAL_TOKEN };

/**
 * The calling file's harness (harnessForFile) with its clock at PINNED_NOW and these bookings in
 * it; `ids` is filled in by the time a test runs.
 */
export function pinnedBookingsForFile(name: string) {
  const ids: Record<string, string> = {};
  const t = harnessForFile(name, {
    now: () => PINNED_NOW,
    setup: async (h) => {
      Object.assign(ids, await addPinnedBookings(h));
    },
  });
  return { t, ids };
}
