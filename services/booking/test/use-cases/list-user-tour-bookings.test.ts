import request from 'supertest';
import { userB } from '../support/harness.js';
import {
  internal,
  otherTourId,
  pinnedBookingsForFile,
  tourId,
} from '../support/pinned-bookings.js';

const { t, ids } = pinnedBookingsForFile('booking_user_tour');

describe('GET /internal/bookings?user=&tour=', () => {
  test("a user's bookings of a tour, any status", async () => {
    const res = await request(t.h.app)
      .get('/internal/bookings')
      .query({ user: userB, tour: otherTourId })
      .set(internal);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ id: ids.failed, status: 'PAYMENT_FAILED' }),
    ]);
    const none = await request(t.h.app)
      .get('/internal/bookings')
      .query({ user: userB, tour: tourId })
      .set(internal);
    expect(none.body.items).toEqual([]);
  });

  test('400 naming the missing or bad field', async () => {
    const res = await request(t.h.app).get('/internal/bookings').query({ user: 'x' }).set(internal);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['tour', 'user']);
  });
});
