import request from 'supertest';
import {
  FAST_FLOW,
  INTERNAL_TOKEN,
  eventually,
  userA,
  postBooking,
  harnessForFile,
  startBackground,
} from '../support/harness.js';
import { paymentsOf as paymentsOfBooking } from '@tourkit/payment/testing';

describe('booking ↔ payment through the queue', () => {
  let crashAfterNextCharge = false;
  let key = 0;
  const t = harnessForFile('booking_payment_flow', {
    // This file checks retries; the circuit (see payment-breaker.test.ts) must not open here.
    env: { ...FAST_FLOW, PAYMENT_BREAKER_VOLUME: '1000' },
    afterCharge: () => {
      if (crashAfterNextCharge) {
        crashAfterNextCharge = false;
        throw new Error('simulated worker crash after the charge, before the booking update');
      }
    },
    setup: startBackground,
  });

  afterEach(async () => {
    await t.h.simulator({ failureRate: 0, declineRate: 0, latencyMs: 0, outage: false });
    t.h.setNotificationOutage(false);
  });

  async function book(tourId: string, travellers = 2) {
    const res = await postBooking(t.h, t.asA, `flow-${++key}`, { tourId, travellers });
    expect(res.status).toBe(201);
    return res.body as { id: string; status: string; price: { totalCents: number } };
  }
  const getBooking = async (id: string) =>
    (await request(t.h.app).get(`/v1/bookings/${id}`).set(t.asA)).body;
  const settled = (id: string, status: string) =>
    eventually(
      async () => {
        const booking = await getBooking(id);
        return booking.status === status ? booking : undefined;
      },
      20_000,
      `booking ${id} ${status}`,
    );
  const paymentsOf = async (bookingId: string) => paymentsOfBooking(t.h.payment, bookingId);
  const chargesAtProvider = async (bookingId: string) =>
    (await t.h.payment.simulator.operations('charge')).filter(
      (op) => op.idempotencyKey === `charge:booking:${bookingId}`,
    ).length;
  const sent = (type: string, bookingId: string) =>
    t.h.notifications.filter((n) => n.type === type && n.bookingId === bookingId);

  test('a booking is PENDING_PAYMENT at once, then CONFIRMED with one confirmation e-mail', async () => {
    const tourId = await t.h.createTour();
    const created = await book(tourId);
    expect(created.status).toBe('PENDING_PAYMENT');
    const confirmed = await settled(created.id, 'CONFIRMED');
    expect(confirmed.paymentId).toEqual(expect.any(String));
    expect(confirmed.requiresManualIntervention).toBe(false);
    const mails = await eventually(() => {
      const found = sent('booking-confirmed', created.id);
      return found.length > 0 ? found : undefined;
    });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      dedupeKey: `booking-confirmed:${created.id}`,
      userId: userA,
      tourId,
      token: INTERNAL_TOKEN,
    });
    const payments = await paymentsOf(created.id);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({
      status: 'SUCCEEDED',
      amountCents: created.price.totalCents,
      idempotencyKey: `booking:${created.id}`,
    });
    const metrics = await request(t.h.app).get('/metrics');
    expect(metrics.text).toMatch(/bookings_total\{[^}]*status="CONFIRMED"[^}]*\} [1-9]/);
    expect(metrics.text).toMatch(/circuit_state\{[^}]*circuit="payment"[^}]*\} 0/);
    expect(metrics.text).toMatch(/payment_queue_depth(\{[^}]*\})? \d+/);
  });

  test('a failing provider: 1 + 5 retries with doubling delays, then PAYMENT_FAILED, manual flag, support alert', async () => {
    await t.h.simulator({ failureRate: 1 });
    const tourId = await t.h.createTour();
    const started = Date.now();
    const created = await book(tourId);
    const failed = await settled(created.id, 'PAYMENT_FAILED');
    // Lower bound only: the queue waited at least 50 + 100 + 200 + 400 + 800 ms between attempts.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_550);
    expect(failed).toMatchObject({ requiresManualIntervention: true, paymentAttempts: 6 });
    const payments = await paymentsOf(created.id);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ status: 'FAILED', attempts: 6 });
    expect(await chargesAtProvider(created.id)).toBe(0);
    const alerts = await eventually(() => {
      const found = sent('support-alert', created.id);
      return found.length > 0 ? found : undefined;
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      email: 'support@tourkit.test',
      dedupeKey: `support-alert:payment-failed:${created.id}`,
      data: expect.objectContaining({ reason: 'Payment failed after 5 retries', attempts: 6 }),
    });
    expect(sent('booking-confirmed', created.id)).toHaveLength(0);
    // Ended without payment: the seats go back (outbox, booking:<id>:release); support decides the rest.
    await eventually(async () => (await t.h.bookedSeats(tourId)) === 0, 10_000, 'seats released');
  });

  test('a provider that recovers during the retries confirms the booking, charged once', async () => {
    await t.h.simulator({ failureRate: 1 });
    const tourId = await t.h.createTour();
    const created = await book(tourId);
    await eventually(async () => (await getBooking(created.id)).paymentAttempts >= 2);
    await t.h.simulator({ failureRate: 0 });
    const confirmed = await settled(created.id, 'CONFIRMED');
    // An attempt is counted when it starts: the second may already have been under way (and so
    // succeed) when the provider recovered. At least the first one failed.
    expect(confirmed.paymentAttempts).toBeGreaterThanOrEqual(2);
    expect(confirmed.paymentAttempts).toBeLessThanOrEqual(6);
    expect(await chargesAtProvider(created.id)).toBe(1);
  });

  test('a worker crash after the charge and before the update: the job runs again, the charge is replayed, not repeated', async () => {
    crashAfterNextCharge = true;
    const tourId = await t.h.createTour();
    const created = await book(tourId);
    const confirmed = await settled(created.id, 'CONFIRMED');
    expect(crashAfterNextCharge).toBe(false);
    // An attempt counts when its outcome is known: the crashed run's outcome was not.
    expect(confirmed.paymentAttempts).toBe(1);
    const payments = await paymentsOf(created.id);
    expect(payments).toHaveLength(1);
    // One provider call: the second run got the stored result of the first.
    expect(payments[0]).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    expect(await chargesAtProvider(created.id)).toBe(1);
    // Enqueuing it again (jobId = booking id) and re-running changes nothing.
    await t.h.background.enqueue(created.id);
    await t.h.background.requeueStranded(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await chargesAtProvider(created.id)).toBe(1);
    await eventually(() => sent('booking-confirmed', created.id).length === 1);
    expect(sent('booking-confirmed', created.id)).toHaveLength(1);
  });

  test('cancelling a CONFIRMED booking refunds it through the outbox and releases the seats', async () => {
    const tourId = await t.h.createTour();
    const created = await book(tourId, 3);
    await settled(created.id, 'CONFIRMED');
    expect(await t.h.bookedSeats(tourId)).toBe(3);
    const cancelled = await request(t.h.app).post(`/v1/bookings/${created.id}/cancel`).set(t.asA);
    expect(cancelled.status).toBe(200);
    await eventually(async () => (await t.h.bookedSeats(tourId)) === 0, 10_000, 'seats released');
    const refunded = await eventually(async () => {
      const booking = await getBooking(created.id);
      return booking.refundId ? booking : undefined;
    });
    expect(refunded.status).toBe('CANCELLED');
    const [payment] = await paymentsOf(created.id);
    expect(payment!.refundedCents).toBe(created.price.totalCents);
  });

  test('a notification outage delays the e-mail, never loses it nor fails the booking', async () => {
    t.h.setNotificationOutage(true);
    const tourId = await t.h.createTour();
    const created = await book(tourId);
    await settled(created.id, 'CONFIRMED');
    await eventually(async () => {
      const { rows } = await t.h.pool.query<{ attempts: number }>(
        `SELECT attempts FROM outbox WHERE dedupe_key = $1 AND delivered_at IS NULL`,
        [`booking-confirmed:${created.id}`],
      );
      return (rows[0]?.attempts ?? 0) >= 2;
    });
    expect(sent('booking-confirmed', created.id)).toHaveLength(0);
    t.h.setNotificationOutage(false);
    await eventually(() => sent('booking-confirmed', created.id).length > 0);
    expect(sent('booking-confirmed', created.id)).toHaveLength(1);
  });
});
