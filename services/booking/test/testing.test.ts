import request from 'supertest';
import { createTestAuth } from '@tourkit/kit/testing';
import { addTestBooking, startTestBooking, type TestBooking } from '../src/testing.js';

// Review's tests get their bookings this way (a tour date in the past cannot be booked through the
// API): what addTestBooking writes must be what booking's own API then reports.
describe('booking fixtures (@tourkit/booking/testing)', () => {
  const internalToken = 'booking-testing-internal-token';
  let booking: TestBooking;

  beforeAll(async () => {
    booking = await startTestBooking('booking_testing', {
      env: { JWT_PUBLIC_KEY: createTestAuth().publicKeyPem, INTERNAL_TOKEN: internalToken },
    });
  });

  afterAll(async () => {
    await booking?.dispose();
  });

  test('a booking added through the store is the one /internal/bookings lists, with the plain price', async () => {
    const userId = '00000000-0000-4000-8000-0000000000c1';
    const tourId = '00000000-0000-4000-8000-0000000000c2';
    const tourStartsAt = new Date('2020-05-01T09:00:00.000Z');
    const added = await addTestBooking(booking, {
      userId,
      tourId,
      status: 'CONFIRMED',
      tourStartsAt,
    });
    expect(added).toMatchObject({ travellers: 1, country: 'FR', totalCents: 1_200 });

    const res = await request(booking.app)
      .get('/internal/bookings')
      .query({ user: userId, tour: tourId })
      .set('x-internal-token', internalToken);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        id: added.id,
        status: 'CONFIRMED',
        tourStartsAt: tourStartsAt.toISOString(),
      }),
    ]);
  });
});
