import { paymentLinkHarnessForFile } from '../support/payment-links.js';

const link = paymentLinkHarnessForFile('booking_paylink_view');

describe('viewing a payment link', () => {
  test('the link opens the reservation without a bearer token, showing what is paid and nothing else personal', async () => {
    const tourId = await link.h.createTour();
    const { id, token, body, email } = await link.reserve(tourId);
    expect(email.data).toMatchObject({
      expiresAt: body.expiresAt,
      totalCents: body.price.totalCents,
    });
    const res = await link.view(id, token);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      bookingId: id,
      tourId,
      tourStartsAt: body.tourStartsAt,
      travellers: 2,
      status: 'RESERVED_PENDING_PAYMENT',
      price: {
        subtotalCents: body.price.subtotalCents,
        taxCents: body.price.taxCents,
        totalCents: body.price.totalCents,
        currency: 'EUR',
      },
      expiresAt: body.expiresAt,
      used: false,
    });
    link.h.background.breaker.close();
  });
});
