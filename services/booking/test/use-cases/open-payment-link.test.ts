import { fieldsOf, paymentLinkHarnessForFile } from '../support/payment-links.js';

let clockOffsetMs = 0;

const link = paymentLinkHarnessForFile(
  'booking_paylink_open',
  () => new Date(Date.now() + clockOffsetMs),
);

describe('opening a payment link: what it refuses', () => {
  test('a missing, tampered or other booking’s token is refused naming `t`; nothing is paid', async () => {
    const tourId = await link.h.createTour();
    const one = await link.reserve(tourId);
    const two = await link.reserve(tourId);
    link.h.background.breaker.close();

    const missing = await link.view(one.id);
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.body)).toEqual(['t']);
    const badId = await link.view('not-a-uuid', one.token);
    expect(badId.status).toBe(400);
    expect(fieldsOf(badId.body)).toEqual(['bookingId']);

    const [expiry, mac] = one.token.split('.') as [string, string];
    const tampered = `${expiry}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    const later = `${(Number.parseInt(expiry, 36) + 86_400_000).toString(36)}.${mac}`;
    for (const [id, t] of [
      [one.id, tampered],
      [one.id, later],
      [one.id, two.token],
      [two.id, one.token],
      ['00000000-0000-4000-8000-000000000000', one.token],
    ] as const) {
      const read = await link.view(id, t);
      expect(read.status).toBe(403);
      expect(read.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(read.body.type).toBe('https://tourkit.dev/problems/payment-link-invalid');
      expect(fieldsOf(read.body)).toEqual(['t']);
      const paid = await link.pay(id, { t });
      expect(paid.status).toBe(403);
      expect(fieldsOf(paid.body)).toEqual(['t']);
    }
    expect((await link.pay(one.id, {})).status).toBe(400);
    expect((await link.pay(one.id, { t: one.token, extra: 1 })).status).toBe(400);
    expect((await link.view(one.id, one.token)).body.status).toBe('RESERVED_PENDING_PAYMENT');
    expect((await link.view(two.id, two.token)).body.status).toBe('RESERVED_PENDING_PAYMENT');
  });

  test('an expired link is 410 naming `t`, for reading and paying; nothing moves', async () => {
    const tourId = await link.h.createTour();
    const { id, token } = await link.reserve(tourId);
    link.h.background.breaker.close();
    clockOffsetMs = 24 * 3_600_000 + 60_000;
    try {
      for (const res of [await link.view(id, token), await link.pay(id, { t: token })]) {
        expect(res.status).toBe(410);
        expect(res.body.type).toBe('https://tourkit.dev/problems/payment-link-expired');
        expect(fieldsOf(res.body)).toEqual(['t']);
      }
    } finally {
      clockOffsetMs = 0;
    }
    // Not spent: back before the expiry (an injected clock) it still opens, unused.
    expect((await link.view(id, token)).body.used).toBe(false);
  });
});
