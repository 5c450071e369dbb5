import request from 'supertest';
import {
  bookTwoTours,
  fieldsOf,
  startHarness,
  userA,
  userB,
  type Harness,
} from '../support/harness.js';

let h: Harness;
let asA: { authorization: string };
let asB: { authorization: string };

beforeAll(async () => {
  h = await startHarness('booking_list');
  asA = await h.auth.authHeader(userA);
  asB = await h.auth.authHeader(userB);
});

afterAll(async () => {
  await h?.close();
});

describe('GET /v1/bookings', () => {
  let tourId: string;
  let otherTourId: string;
  let bookingOfA: string;

  beforeAll(async () => {
    ({ tourId, otherTourId, bookingOfA } = await bookTwoTours(h));
  });

  test('GET /v1/bookings lists only the caller’s bookings, filtered by tour and status', async () => {
    const mine = await request(h.app).get('/v1/bookings').query({ tour: tourId }).set(asA);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((b: { id: string }) => b.id)).toEqual([bookingOfA]);
    const theirs = await request(h.app).get('/v1/bookings').query({ tour: tourId }).set(asB);
    expect(theirs.body).toMatchObject({ items: [], total: 0 });
    const byStatus = await request(h.app)
      .get('/v1/bookings')
      .query({ status: 'CANCELLED', tour: otherTourId })
      .set(asA);
    expect(byStatus.body.total).toBe(0);
  });

  test.each([
    [{ status: 'PAID' }, 'status'],
    [{ tour: 'x' }, 'tour'],
    [{ limit: 0 }, 'limit'],
  ])('GET /v1/bookings 400 for %j', async (query, field) => {
    const res = await request(h.app).get('/v1/bookings').query(query).set(asA);
    expect(res.status).toBe(400);
    expect(fieldsOf(res)).toEqual([field]);
  });
});
