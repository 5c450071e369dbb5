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
  h = await startHarness('booking_get');
  asA = await h.auth.authHeader(userA);
  asB = await h.auth.authHeader(userB);
});

afterAll(async () => {
  await h?.close();
});

describe('GET /v1/bookings/:id', () => {
  let bookingOfA: string;

  beforeAll(async () => {
    ({ bookingOfA } = await bookTwoTours(h));
  });

  test('GET /v1/bookings/:id: the owner reads it, another user gets 404', async () => {
    expect((await request(h.app).get(`/v1/bookings/${bookingOfA}`).set(asA)).body.id).toBe(
      bookingOfA,
    );
    const other = await request(h.app).get(`/v1/bookings/${bookingOfA}`).set(asB);
    expect(other.status).toBe(404);
    const bad = await request(h.app).get('/v1/bookings/123').set(asA);
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['id']);
  });
});
