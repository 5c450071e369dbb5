import request from 'supertest';
import { eventually } from '../support/harness.js';
import { fieldsOf, paymentLinkHarnessForFile } from '../support/payment-links.js';

const link = paymentLinkHarnessForFile('booking_paylink_pay');

describe('paying through a payment link', () => {
  test('paying: 503 while the circuit is open (the link stays usable), then 202 once, CONFIRMED, and the link is used', async () => {
    const tourId = await link.h.createTour();
    const { id, token } = await link.reserve(tourId);

    const tooSoon = await link.pay(id, { t: token });
    expect(tooSoon.status).toBe(503);
    expect((await link.view(id, token)).body).toMatchObject({
      status: 'RESERVED_PENDING_PAYMENT',
      used: false,
    });

    link.h.background.breaker.close();
    // Two clicks at once: the link pays once.
    const answers = await Promise.all([link.pay(id, { t: token }), link.pay(id, { t: token })]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    const accepted = answers.find((a) => a.status === 202)!;
    expect(accepted.body).toMatchObject({ bookingId: id, status: 'PENDING_PAYMENT', used: true });
    const refused = answers.find((a) => a.status === 409)!;
    expect(refused.body.type).toBe('https://tourkit.dev/problems/payment-link-used');
    expect(fieldsOf(refused.body)).toEqual(['t']);

    // The page follows the payment through the used link.
    await eventually(
      async () => (await link.view(id, token)).body.status === 'CONFIRMED',
      15_000,
      'the booking to be CONFIRMED',
    );
    expect((await link.view(id, token)).body.used).toBe(true);
    const again = await link.pay(id, { t: token });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('https://tourkit.dev/problems/payment-link-used');
    // One charge for the booking, as the signed-in owner sees it.
    const owner = await request(link.h.app).get(`/v1/bookings/${id}`).set(link.asA);
    expect(owner.body).toMatchObject({ status: 'CONFIRMED', paymentAttempts: 1 });
  });

  test('a reservation paid by its signed-in owner cannot be paid again through the link', async () => {
    const tourId = await link.h.createTour();
    const { id, token } = await link.reserve(tourId);
    link.h.background.breaker.close();
    expect((await request(link.h.app).post(`/v1/bookings/${id}/pay`).set(link.asA)).status).toBe(
      202,
    );
    const res = await link.pay(id, { t: token });
    expect(res.status).toBe(409);
    await eventually(async () => (await link.view(id, token)).body.status === 'CONFIRMED');
  });
});
