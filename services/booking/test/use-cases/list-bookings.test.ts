import request from 'supertest';
import { bookTwoTours, fieldsOf, harnessForFile } from '../support/harness.js';

const t = harnessForFile('booking_list');

describe('GET /v1/bookings', () => {
  let tourId: string;
  let otherTourId: string;
  let bookingOfA: string;

  beforeAll(async () => {
    ({ tourId, otherTourId, bookingOfA } = await bookTwoTours(t.h));
  });

  test('GET /v1/bookings lists only the caller’s bookings, filtered by tour and status', async () => {
    const mine = await request(t.h.app).get('/v1/bookings').query({ tour: tourId }).set(t.asA);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((b: { id: string }) => b.id)).toEqual([bookingOfA]);
    const theirs = await request(t.h.app).get('/v1/bookings').query({ tour: tourId }).set(t.asB);
    expect(theirs.body).toMatchObject({ items: [], total: 0 });
    const byStatus = await request(t.h.app)
      .get('/v1/bookings')
      .query({ status: 'CANCELLED', tour: otherTourId })
      .set(t.asA);
    expect(byStatus.body.total).toBe(0);
  });

  test.each([
    [{ status: 'PAID' }, 'status'],
    [{ tour: 'x' }, 'tour'],
    [{ limit: 0 }, 'limit'],
  ])('GET /v1/bookings 400 for %j', async (query, field) => {
    const res = await request(t.h.app).get('/v1/bookings').query(query).set(t.asA);
    expect(res.status).toBe(400);
    expect(fieldsOf(res)).toEqual([field]);
  });
});
