import request from 'supertest';
import { addTestBooking } from '../../src/testing.js';
import {
  addTestPromos,
  bookTwoTours,
  harnessForFile,
  newKey,
  userA,
  postBooking,
} from '../support/harness.js';

// The real clock, unless a test pins it (to stand exactly at a tour's start).
let pinned: Date | undefined;

const t = harnessForFile('booking_cancel', {
  now: () => pinned ?? new Date(),
  setup: addTestPromos,
});

describe('POST /v1/bookings/:id/cancel', () => {
  let tourId: string;
  let bookingOfA: string;

  beforeAll(async () => {
    ({ tourId, bookingOfA } = await bookTwoTours(t.h));
  });

  test('another user cannot cancel; the owner can, once, and the seats go back', async () => {
    expect(await t.h.bookedSeats(tourId)).toBe(2);
    const byB = await request(t.h.app).post(`/v1/bookings/${bookingOfA}/cancel`).set(t.asB);
    expect(byB.status).toBe(404);
    const { rows } = await t.h.pool.query('SELECT status FROM bookings WHERE id = $1', [
      bookingOfA,
    ]);
    expect(rows[0].status).toBe('PENDING_PAYMENT');

    const byA = await request(t.h.app).post(`/v1/bookings/${bookingOfA}/cancel`).set(t.asA);
    expect(byA.status).toBe(200);
    expect(byA.body).toMatchObject({ status: 'CANCELLED' });
    expect(byA.body.cancelledAt).toEqual(expect.any(String));
    // The release goes through the outbox: delivered after the commit, not inside it.
    await t.h.booking.background.outbox.drainOnce();
    expect(await t.h.bookedSeats(tourId)).toBe(0);

    const again = await request(t.h.app).post(`/v1/bookings/${bookingOfA}/cancel`).set(t.asA);
    expect(again.status).toBe(409);
    expect(await t.h.bookedSeats(tourId)).toBe(0);
  });

  test('cancelling gives a single-use promo back', async () => {
    const user = '00000000-0000-4000-8000-0000000000cc';
    const asC = await t.h.auth.authHeader(user);
    const book = () =>
      postBooking(t.h, asC, newKey(), { tourId, travellers: 1, promoCode: 'SUMMER2025' });
    const first = await book();
    expect(first.status).toBe(201);
    expect((await book()).status).toBe(422);
    await request(t.h.app).post(`/v1/bookings/${first.body.id}/cancel`).set(asC).expect(200);
    expect((await book()).status).toBe(201);
  });
});

describe('cancellation rules with a pinned clock', () => {
  test('a booking whose tour has started cannot be cancelled', async () => {
    pinned = new Date('2030-03-10T12:00:00.000Z');
    try {
      const started = await addTestBooking(t.h, {
        userId: userA,
        tourId: '00000000-0000-4000-8000-000000000077',
        status: 'PENDING_PAYMENT',
        tourStartsAt: pinned,
      });
      const res = await request(t.h.app).post(`/v1/bookings/${started.id}/cancel`).set(t.asA);
      expect(res.status).toBe(409);
    } finally {
      pinned = undefined;
    }
  });
});
