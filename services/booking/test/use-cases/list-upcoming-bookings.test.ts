import request from 'supertest';
import { userA } from '../support/harness.js';
import {
  PINNED_NOW as now,
  internal,
  pinnedBookingsForFile,
  tourId,
} from '../support/pinned-bookings.js';

const { t, ids } = pinnedBookingsForFile('booking_upcoming');

describe('GET /internal/bookings/upcoming', () => {
  test('active bookings starting in (now, now + 24 h], soonest first', async () => {
    const res = await request(t.h.app)
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
    const byDefault = await request(t.h.app).get('/internal/bookings/upcoming').set(internal);
    expect(byDefault.body.items).toHaveLength(3);
    const oneHour = await request(t.h.app)
      .get('/internal/bookings/upcoming')
      .query({ within: '60m' })
      .set(internal);
    expect(oneHour.body.items.map((b: { id: string }) => b.id)).toEqual([ids.in1ms]);
  });

  test.each(['24', '0h', '8d', 'tomorrow'])('400 naming within for %p', async (within) => {
    const res = await request(t.h.app)
      .get('/internal/bookings/upcoming')
      .query({ within })
      .set(internal);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['within']);
  });

  test('401 without the internal token, or with a user token', async () => {
    expect((await request(t.h.app).get('/internal/bookings/upcoming')).status).toBe(401);
    const asUser = await t.h.auth.authHeader(userA);
    expect((await request(t.h.app).get('/internal/bookings/upcoming').set(asUser)).status).toBe(
      401,
    );
    expect(
      (await request(t.h.app).get('/internal/bookings/upcoming').set('x-internal-token', 'wrong'))
        .status,
    ).toBe(401);
  });
});
