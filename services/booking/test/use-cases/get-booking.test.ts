import request from 'supertest';
import { bookTwoTours, fieldsOf, harnessForFile } from '../support/harness.js';

const t = harnessForFile('booking_get');

describe('GET /v1/bookings/:id', () => {
  let bookingOfA: string;

  beforeAll(async () => {
    ({ bookingOfA } = await bookTwoTours(t.h));
  });

  test('GET /v1/bookings/:id: the owner reads it, another user gets 404', async () => {
    expect((await request(t.h.app).get(`/v1/bookings/${bookingOfA}`).set(t.asA)).body.id).toBe(
      bookingOfA,
    );
    const other = await request(t.h.app).get(`/v1/bookings/${bookingOfA}`).set(t.asB);
    expect(other.status).toBe(404);
    const bad = await request(t.h.app).get('/v1/bookings/123').set(t.asA);
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['id']);
  });
});
