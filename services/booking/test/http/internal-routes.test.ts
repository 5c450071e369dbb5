import request from 'supertest';
import { addTestBooking, type TestBookingFields } from '../../src/testing.js';
import { INTERNAL_TOKEN, startHarness, userA, userB, type Harness } from '../support/harness.js';

const now = new Date('2030-03-10T12:00:00.000Z');
const HOUR = 3_600_000;
let h: Harness;
const internal = { 'x-internal-token': INTERNAL_TOKEN };
const tourId = '00000000-0000-4000-8000-000000000077';
const otherTourId = '00000000-0000-4000-8000-000000000078';

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

const ids: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness('booking_internal', { now: () => now });
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
});

afterAll(async () => {
  await h?.close();
});

describe('GET /internal/bookings/upcoming', () => {
  test('active bookings starting in (now, now + 24 h], soonest first', async () => {
    const res = await request(h.app)
      .get('/internal/bookings/upcoming')
      .query({ within: '24h' })
      .set(internal);
    expect(res.status).toBe(200);
    expect(res.body.from).toBe(now.toISOString());
    expect(res.body.until).toBe('2030-03-11T12:00:00.000Z');
    expect(res.body.items.map((b: { id: string }) => b.id)).toEqual([
      ids.in1ms,
      ids.in23h,
      ids.at24h,
    ]);
    expect(res.body.items[0]).toEqual({
      id: ids.in1ms,
      userId: userA,
      tourId,
      travellers: 1,
      status: 'PENDING_PAYMENT',
      tourStartsAt: '2030-03-10T12:00:00.001Z',
      createdAt: expect.any(String),
    });
  });

  test('24 h is the default window; other windows are accepted', async () => {
    const byDefault = await request(h.app).get('/internal/bookings/upcoming').set(internal);
    expect(byDefault.body.items).toHaveLength(3);
    const oneHour = await request(h.app)
      .get('/internal/bookings/upcoming')
      .query({ within: '60m' })
      .set(internal);
    expect(oneHour.body.items.map((b: { id: string }) => b.id)).toEqual([ids.in1ms]);
  });

  test.each(['24', '0h', '8d', 'tomorrow'])('400 naming within for %p', async (within) => {
    const res = await request(h.app)
      .get('/internal/bookings/upcoming')
      .query({ within })
      .set(internal);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['within']);
  });

  test('401 without the internal token, or with a user token', async () => {
    expect((await request(h.app).get('/internal/bookings/upcoming')).status).toBe(401);
    const asUser = await h.auth.authHeader(userA);
    expect((await request(h.app).get('/internal/bookings/upcoming').set(asUser)).status).toBe(401);
    expect(
      (await request(h.app).get('/internal/bookings/upcoming').set('x-internal-token', 'wrong'))
        .status,
    ).toBe(401);
  });
});

describe('GET /internal/bookings?user=&tour=', () => {
  test("a user's bookings of a tour, any status", async () => {
    const res = await request(h.app)
      .get('/internal/bookings')
      .query({ user: userB, tour: otherTourId })
      .set(internal);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ id: ids.failed, status: 'PAYMENT_FAILED' }),
    ]);
    const none = await request(h.app)
      .get('/internal/bookings')
      .query({ user: userB, tour: tourId })
      .set(internal);
    expect(none.body.items).toEqual([]);
  });

  test('400 naming the missing or bad field', async () => {
    const res = await request(h.app).get('/internal/bookings').query({ user: 'x' }).set(internal);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['tour', 'user']);
  });
});

describe('cancellation rules with a pinned clock', () => {
  test('a booking whose tour has started cannot be cancelled', async () => {
    const asA = await h.auth.authHeader(userA);
    const res = await request(h.app).post(`/v1/bookings/${ids.started}/cancel`).set(asA);
    expect(res.status).toBe(409);
  });
});
