import request from 'supertest';
import {
  FAST_FLOW,
  eventually,
  userA,
  postBooking,
  harnessForFile,
  startBackground,
} from '../support/harness.js';

// The fallback while payment is down: the circuit opens, new bookings are pay-later
// reservations with an e-mailed link, /health is DEGRADED, and unpaid reservations expire.
describe('payment down: circuit breaker, pay-later reservations, expiry', () => {
  let clockOffsetMs = 0;
  let key = 0;
  const t = harnessForFile('booking_circuit', {
    now: () => new Date(Date.now() + clockOffsetMs),
    env: { ...FAST_FLOW, PAYMENT_BREAKER_RESET_MS: '1500', PAYMENT_BREAKER_VOLUME: '2' },
    setup: startBackground,
  });

  async function book(tourId: string) {
    const res = await postBooking(t.h, t.asA, `circuit-${++key}`, { tourId, travellers: 2 });
    expect(res.status).toBe(201);
    return res.body as { id: string; status: string; expiresAt: string | null };
  }
  const getBooking = async (id: string) =>
    (await request(t.h.app).get(`/v1/bookings/${id}`).set(t.asA)).body;
  const pay = (id: string, as = t.asA) => request(t.h.app).post(`/v1/bookings/${id}/pay`).set(as);

  test('the provider goes down: the circuit opens, bookings become reservations with a payment link, /health is DEGRADED; when it returns, /pay confirms', async () => {
    const tourId = await t.h.createTour();
    expect((await request(t.h.app).get('/health')).body.status).toBe('UP');

    await t.h.simulator({ outage: true });
    const first = await book(tourId);
    expect(first.status).toBe('PENDING_PAYMENT');
    await eventually(() => t.h.background.breaker.opened, 10_000, 'the circuit to open');

    const health = await request(t.h.app).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('DEGRADED');
    expect(health.body.checks.payment).toMatchObject({ status: 'DOWN', critical: false });
    expect((await request(t.h.app).get('/readyz')).status).toBe(200);
    expect((await request(t.h.app).get('/metrics')).text).toMatch(
      /circuit_state\{[^}]*circuit="payment"[^}]*\} 2/,
    );

    const reserved = await book(tourId);
    expect(reserved.status).toBe('RESERVED_PENDING_PAYMENT');
    const ttl = new Date(reserved.expiresAt!).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(23.9 * 3_600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3_600_000);
    expect(await t.h.bookedSeats(tourId)).toBe(4);
    const link = await eventually(() =>
      t.h.notifications.find((n) => n.type === 'payment-link' && n.bookingId === reserved.id),
    );
    expect(link).toMatchObject({
      userId: userA,
      dedupeKey: `payment-link:${reserved.id}`,
      data: expect.objectContaining({
        // The web app's page with the signed token (test/http/payment-links.test.ts).
        paymentLink: expect.stringMatching(
          new RegExp(`^http://tourkit\\.test/pay/${reserved.id}\\?t=[0-9a-z]+\\.[\\w-]{43}$`),
        ),
      }),
    });

    // Paying while the circuit is open is refused; the reservation is kept.
    const tooSoon = await pay(reserved.id);
    expect(tooSoon.status).toBe(503);
    expect((await getBooking(reserved.id)).status).toBe('RESERVED_PENDING_PAYMENT');
    // Only the owner may pay.
    expect((await pay(reserved.id, t.asB)).status).toBe(404);

    await t.h.simulator({ outage: false });
    await eventually(() => !t.h.background.breaker.opened, 10_000, 'the circuit to leave OPEN');
    const paying = await pay(reserved.id);
    expect(paying.status).toBe(202);
    expect(paying.body.status).toBe('PENDING_PAYMENT');
    // Repeating it changes nothing, whether the worker has charged yet or not.
    const again = await pay(reserved.id);
    expect(again.status).toBe(202);
    expect(['PENDING_PAYMENT', 'PAYMENT_UNKNOWN', 'CONFIRMED']).toContain(again.body.status);
    await eventually(async () => (await getBooking(reserved.id)).status === 'CONFIRMED');

    // Nothing is lost: the booking made during the outage ends CONFIRMED or PAYMENT_FAILED.
    const settled = await eventually(async () => {
      const booking = await getBooking(first.id);
      return ['CONFIRMED', 'PAYMENT_FAILED'].includes(booking.status) ? booking : undefined;
    });
    expect(settled.paymentAttempts).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await request(t.h.app).get('/health')).body.status === 'UP');
  });

  test('unpaid reservations expire after 24 h and give their seats back; an overdue one cannot be paid', async () => {
    const tourId = await t.h.createTour({ capacity: 10 });
    t.h.background.breaker.open();
    const overdue = await book(tourId);
    const swept = await book(tourId);
    t.h.background.breaker.close();
    expect([overdue.status, swept.status]).toEqual([
      'RESERVED_PENDING_PAYMENT',
      'RESERVED_PENDING_PAYMENT',
    ]);
    expect(await t.h.bookedSeats(tourId)).toBe(4);

    clockOffsetMs = 24 * 3_600_000 + 60_000;
    try {
      const late = await pay(overdue.id);
      expect(late.status).toBe(410);
      expect(await t.h.background.sweepExpired()).toBeGreaterThanOrEqual(2);
      expect((await getBooking(overdue.id)).status).toBe('EXPIRED');
      expect((await getBooking(swept.id)).status).toBe('EXPIRED');
      await eventually(async () => (await t.h.bookedSeats(tourId)) === 0, 10_000, 'seats released');
      expect((await pay(swept.id)).status).toBe(409);
      expect(await t.h.background.sweepExpired()).toBe(0);
      expect(await t.h.bookedSeats(tourId)).toBe(0);
    } finally {
      clockOffsetMs = 0;
    }
  });
});
