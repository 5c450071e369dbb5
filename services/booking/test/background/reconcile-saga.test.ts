import request from 'supertest';
import { paymentsOf } from '@tourkit/payment/testing';
import { SEAT_HOLDING_STATUSES } from '../../src/domain/saga.js';
import {
  FAST_FLOW,
  INTERNAL_TOKEN,
  eventually,
  userB,
  postBooking,
  harnessForFile,
  startBackground,
} from '../support/harness.js';

// Each fault at each saga step, injected by the fault proxies in front of the real catalog and
// payment; after each, the invariants: seats held = live bookings' seats, nobody charged twice,
// captured money = confirmed totals − refunds, nothing left in a non-terminal state past its bound.
describe('the booking saga under faults', () => {
  let clockOffsetMs = 0;
  let key = 0;
  const tours: string[] = [];
  const t = harnessForFile('booking_saga_faults', {
    faults: true,
    now: () => new Date(Date.now() + clockOffsetMs),
    env: {
      ...FAST_FLOW,
      // Short enough for a dropped call to time out soon, long enough for a loaded machine.
      CATALOG_TIMEOUT_MS: '1500',
      PAYMENT_TIMEOUT_MS: '3000',
      PAYMENT_BREAKER_VOLUME: '1000',
      // The reconcilers are driven by the tests, not by a timer.
      SAGA_RECONCILE_INTERVAL_MS: '600000',
      SEAT_RETRY_AFTER_MS: '0',
      SEAT_RESERVATION_TIMEOUT_MS: '600000',
      PAYMENT_UNKNOWN_TIMEOUT_MS: '1800000',
    },
    setup: startBackground,
  });

  afterEach(async () => {
    clockOffsetMs = 0;
    t.h.proxies.catalog!.setRules([]);
    t.h.proxies.payment!.setRules([]);
    await t.h.simulator({ failureRate: 0, declineRate: 0, latencyMs: 0, outage: false });
  });

  const seatsPost = { method: 'POST', path: /^\/internal\/tours\/[^/]+\/seats$/ };
  const reservePost = seatsPost; // booking's only seat POSTs are reserves until something ends
  const chargePost = { method: 'POST', path: /^\/internal\/payments$/ };
  const paymentLookup = { method: 'GET', path: /^\/internal\/payments$/ };

  async function newTour(capacity = 20) {
    const id = await t.h.createTour({ capacity });
    tours.push(id);
    return id;
  }
  const book = (tourId: string, travellers = 2, idempotencyKey = `saga-${++key}`) =>
    postBooking(t.h, t.asA, idempotencyKey, { tourId, travellers });
  const statusOf = async (id: string) =>
    (await t.h.pool.query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [id]))
      .rows[0]!.status;
  const settled = (id: string, status: string) =>
    eventually(
      async () => {
        const now = await statusOf(id);
        // What the reconciler's timer does in production: a charge that timed out on a loaded
        // machine is settled by asking payment.
        if (now === 'PAYMENT_UNKNOWN' && status !== now)
          await t.h.background.reconciler.reconcilePayments();
        return now === status;
      },
      60_000,
      `booking ${id} ${status}`,
    );

  /** The invariants of DESIGN.md, over every booking and tour of this file. */
  async function checkInvariants() {
    // A payment under way is neither captured-and-confirmed nor not: wait until none is.
    await eventually(
      async () => {
        await t.h.background.reconciler.reconcilePayments();
        return (
          (await t.h.count(
            `bookings WHERE status IN ('PENDING_PAYMENT', 'RESERVING_SEATS', 'PAYMENT_UNKNOWN')`,
          )) === 0
        );
      },
      60_000,
      'no payment or reservation under way',
    );
    await t.h.booking.background.outbox.drainOnce();
    const { rows } = await t.h.pool.query<{
      id: string;
      tour_id: string;
      travellers: number;
      status: string;
      total_cents: string;
    }>('SELECT id, tour_id, travellers, status, total_cents FROM bookings');
    for (const tourId of tours) {
      const held = rows
        .filter((b) => b.tour_id === tourId && SEAT_HOLDING_STATUSES.includes(b.status as never))
        .reduce((sum, b) => sum + b.travellers, 0);
      expect({ tourId, seats: await t.h.bookedSeats(tourId) }).toEqual({ tourId, seats: held });
    }
    let captured = 0;
    const charges = await t.h.payment.simulator.operations('charge');
    for (const booking of rows) {
      const atProvider = charges.filter(
        (op) => op.idempotencyKey === `charge:booking:${booking.id}`,
      );
      // Nobody charged twice: at most one charge at the provider per booking.
      expect(atProvider.length).toBeLessThanOrEqual(1);
      for (const payment of await paymentsOf(t.h.payment, booking.id))
        if (payment.status === 'SUCCEEDED') captured += payment.amountCents - payment.refundedCents;
    }
    const confirmed = rows
      .filter((b) => b.status === 'CONFIRMED')
      .reduce((sum, b) => sum + Number(b.total_cents), 0);
    expect(captured).toBe(confirmed);
  }

  test('catalog times out on the reserve: 202 RESERVING_SEATS, replays say the truth, the seat reconciler settles it', async () => {
    const tourId = await newTour();
    t.h.proxies.catalog!.setRules([{ ...reservePost, mode: 'drop' }]);
    const idempotencyKey = `saga-${++key}`;
    const first = await book(tourId, 2, idempotencyKey);
    expect(first.status).toBe(202);
    expect(first.body.status).toBe('RESERVING_SEATS');
    expect(first.headers.location).toBe(`/v1/bookings/${first.body.id}`);
    const replay = await book(tourId, 2, idempotencyKey);
    expect(replay.status).toBe(202);
    expect(replay.body.id).toBe(first.body.id);
    // Still no answer: the reconciler leaves it where it is.
    await t.h.background.reconciler.reconcileSeats();
    expect(await statusOf(first.body.id)).toBe('RESERVING_SEATS');

    t.h.proxies.catalog!.setRules([]);
    await t.h.background.reconciler.reconcileSeats();
    const after = await book(tourId, 2, idempotencyKey);
    expect(after.status).toBe(201);
    expect(after.body.status).toBe('PENDING_PAYMENT');
    await settled(first.body.id, 'CONFIRMED');
    expect(await t.h.bookedSeats(tourId)).toBe(2);
    await checkInvariants();
  });

  test('catalog reserved but the answer was lost, and stays silent past the bound: EXPIRED, the reserve it made is released', async () => {
    const tourId = await newTour();
    t.h.proxies.catalog!.setRules([{ ...reservePost, mode: 'apply-then-drop' }]);
    const res = await book(tourId, 3);
    expect(res.status).toBe(202);
    expect(await t.h.bookedSeats(tourId)).toBe(3); // held at catalog, unknown to booking
    clockOffsetMs = 600_000;
    await t.h.background.reconciler.reconcileSeats();
    expect(await statusOf(res.body.id)).toBe('EXPIRED');
    t.h.proxies.catalog!.setRules([]);
    await eventually(async () => (await t.h.bookedSeats(tourId)) === 0, 30_000, 'seats released');
    await checkInvariants();
    const replay = await book(tourId, 3, `saga-${key}`);
    expect(replay.body.status).toBe('EXPIRED');
  });

  test('catalog never got the reserve and the bound passes: EXPIRED, nothing released that another booking holds', async () => {
    const tourId = await newTour(4);
    const other = await book(tourId, 2);
    expect(other.status).toBe(201);
    t.h.proxies.catalog!.setRules([{ ...reservePost, mode: 'drop' }]);
    const lost = await book(tourId, 2);
    expect(lost.status).toBe(202);
    clockOffsetMs = 600_000;
    await t.h.background.reconciler.reconcileSeats();
    expect(await statusOf(lost.body.id)).toBe('EXPIRED');
    clockOffsetMs = 0;
    t.h.proxies.catalog!.setRules([]);
    await t.h.booking.background.outbox.drainOnce();
    await settled(other.body.id, 'CONFIRMED');
    expect(await t.h.bookedSeats(tourId)).toBe(2);
    await checkInvariants();
  });

  test('no seats: 409 is the stored answer, even when the refusal came through the reconciler', async () => {
    const tourId = await newTour(2);
    t.h.proxies.catalog!.setRules([{ ...reservePost, mode: 'drop' }]);
    const idempotencyKey = `saga-${++key}`;
    const res = await book(tourId, 3, idempotencyKey);
    expect(res.status).toBe(202);
    t.h.proxies.catalog!.setRules([]);
    await t.h.background.reconciler.reconcileSeats();
    expect(await statusOf(res.body.id)).toBe('REJECTED');
    const replay = await book(tourId, 3, idempotencyKey);
    expect(replay.status).toBe(409);
    expect(replay.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(replay.body.errors).toEqual([expect.objectContaining({ field: 'travellers' })]);
    await checkInvariants();
  });

  test('payment charges, then the call times out: PAYMENT_UNKNOWN (not a counted attempt), then the reconciler finds the charge: CONFIRMED, charged once', async () => {
    const tourId = await newTour();
    t.h.proxies.payment!.setRules([{ ...chargePost, mode: 'apply-then-drop' }]);
    const res = await book(tourId);
    await settled(res.body.id, 'PAYMENT_UNKNOWN');
    const unknown = await request(t.h.app).get(`/v1/bookings/${res.body.id}`).set(t.asA);
    expect(unknown.body).toMatchObject({ status: 'PAYMENT_UNKNOWN', paymentAttempts: 0 });
    t.h.proxies.payment!.setRules([]);
    await t.h.background.reconciler.reconcilePayments();
    expect(await statusOf(res.body.id)).toBe('CONFIRMED');
    const [payment] = await paymentsOf(t.h.payment, res.body.id);
    const confirmed = await request(t.h.app).get(`/v1/bookings/${res.body.id}`).set(t.asA);
    expect(confirmed.body.paymentId).toBe(payment!.id);
    await eventually(() =>
      t.h.notifications.some((n) => n.type === 'booking-confirmed' && n.bookingId === res.body.id),
    );
    await checkInvariants();
  });

  test('payment answers 202 PENDING: PAYMENT_UNKNOWN; asked while still pending it waits, then SUCCEEDED confirms it', async () => {
    const tourId = await newTour();
    t.h.proxies.payment!.setRules([
      { ...chargePost, mode: 'pending' },
      { ...paymentLookup, mode: 'fail' },
    ]);
    const res = await book(tourId);
    await settled(res.body.id, 'PAYMENT_UNKNOWN');
    await t.h.background.reconciler.reconcilePayments();
    expect(await statusOf(res.body.id)).toBe('PAYMENT_UNKNOWN');
    t.h.proxies.payment!.setRules([]);
    await t.h.background.reconciler.reconcilePayments();
    expect(await statusOf(res.body.id)).toBe('CONFIRMED');
    await checkInvariants();
  });

  test('the charge never reached payment (no answer): the reconciler finds none and queues another attempt with the same key', async () => {
    const tourId = await newTour();
    t.h.proxies.payment!.setRules([{ ...chargePost, mode: 'drop' }]);
    const res = await book(tourId);
    await settled(res.body.id, 'PAYMENT_UNKNOWN');
    t.h.proxies.payment!.setRules([]);
    await t.h.background.reconciler.reconcilePayments();
    await settled(res.body.id, 'CONFIRMED');
    await checkInvariants();
  });

  test('unknown past its bound: PAYMENT_FAILED with seats and promo back, support alerted, and the captured charge refunded', async () => {
    const tourId = await newTour();
    t.h.proxies.payment!.setRules([
      { ...chargePost, mode: 'apply-then-drop' },
      { ...paymentLookup, mode: 'fail' },
    ]);
    const res = await book(tourId);
    await settled(res.body.id, 'PAYMENT_UNKNOWN');
    await t.h.background.reconciler.reconcilePayments();
    expect(await statusOf(res.body.id)).toBe('PAYMENT_UNKNOWN');
    clockOffsetMs = 1_800_000;
    await t.h.background.reconciler.reconcilePayments();
    expect(await statusOf(res.body.id)).toBe('PAYMENT_FAILED');
    clockOffsetMs = 0;
    const alert = await eventually(() =>
      t.h.notifications.find((n) => n.type === 'support-alert' && n.bookingId === res.body.id),
    );
    expect(alert.data).toMatchObject({ reason: expect.stringMatching(/unknown/) });
    t.h.proxies.payment!.setRules([]);
    await eventually(
      async () => {
        const [payment] = await paymentsOf(t.h.payment, res.body.id);
        return payment?.refundedCents === payment?.amountCents;
      },
      30_000,
      'the captured charge refunded',
    );
    await checkInvariants();
  });

  test('a decline is final at once: one attempt, PAYMENT_FAILED, seats back', async () => {
    await t.h.simulator({ declineRate: 1 });
    const tourId = await newTour();
    const res = await book(tourId);
    await settled(res.body.id, 'PAYMENT_FAILED');
    const failed = await request(t.h.app).get(`/v1/bookings/${res.body.id}`).set(t.asA);
    expect(failed.body).toMatchObject({ paymentAttempts: 1, requiresManualIntervention: true });
    await checkInvariants();
  });

  test('the metrics show each non-terminal state and every reconciliation', async () => {
    const tourId = await newTour();
    t.h.proxies.catalog!.setRules([{ ...reservePost, mode: 'drop' }]);
    await book(tourId, 1);
    await t.h.background.reconciler.runOnce();
    const metrics = (await request(t.h.app).get('/metrics')).text;
    expect(metrics).toMatch(/bookings_in_state\{[^}]*status="RESERVING_SEATS"[^}]*\} [1-9]/);
    expect(metrics).toMatch(
      /booking_state_oldest_seconds\{[^}]*status="PAYMENT_UNKNOWN"[^}]*\} \d/,
    );
    expect(metrics).toMatch(
      /saga_reconciliations_total\{[^}]*step="seats"[^}]*result="no-answer"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /saga_reconciliations_total\{[^}]*step="payment"[^}]*result="SUCCEEDED"[^}]*\} [1-9]/,
    );
    t.h.proxies.catalog!.setRules([]);
    await t.h.background.reconciler.reconcileSeats();
  });

  test("seat movements: seats catalog holds for a booking that does not exist are released; a live booking's are kept", async () => {
    const tourId = await newTour();
    const live = await book(tourId, 2);
    await settled(live.body.id, 'CONFIRMED');
    const ghost = '0b0e3f5e-1c1a-4c38-9a57-0c1f7f0c9d99';
    const reserved = await fetch(`${t.h.catalogUrl}/internal/tours/${tourId}/seats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-internal-token': INTERNAL_TOKEN },
      body: JSON.stringify({ delta: 3, reference: `booking:${ghost}:reserve` }),
    });
    expect(reserved.ok).toBe(true);
    expect(await t.h.bookedSeats(tourId)).toBe(5);
    // Catalog's log as the contract of issue 12 shapes it (served by branch catalog).
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    t.h.proxies.catalog!.setRules([
      {
        method: 'GET',
        path: /^\/internal\/seat-movements$/,
        mode: 'fixed',
        body: {
          items: [
            {
              id: '1',
              tourId,
              delta: 2,
              reference: `booking:${live.body.id}:reserve`,
              createdAt: hourAgo,
            },
            {
              id: '2',
              tourId,
              delta: 3,
              reference: `booking:${ghost}:reserve`,
              createdAt: hourAgo,
            },
          ],
          next: null,
        },
      },
    ]);
    expect(await t.h.background.reconciler.reconcileSeatMovements()).toBe(1);
    await t.h.booking.background.outbox.drainOnce();
    await eventually(
      async () => (await t.h.bookedSeats(tourId)) === 2,
      30_000,
      'ghost seats released',
    );
    // Read again (the same log, its release not in it yet): the release is queued once.
    expect(await t.h.background.reconciler.reconcileSeatMovements()).toBe(1);
    expect(await t.h.count(`outbox WHERE dedupe_key = 'booking:${ghost}:release'`)).toBe(1);
    await checkInvariants();
  });

  describe('staff', () => {
    let asStaff: { authorization: string };
    const staffId = '00000000-0000-4000-8000-00000000005f';
    beforeAll(async () => {
      asStaff = await t.h.auth.authHeader(staffId, { roles: ['support'] });
    });
    const act = (id: string, body: object, as = asStaff) =>
      request(t.h.app).post(`/v1/admin/bookings/${id}/actions`).set(as).send(body);

    test('lists what needs a person; only staff may', async () => {
      await t.h.simulator({ declineRate: 1 });
      const res = await book(await newTour());
      await settled(res.body.id, 'PAYMENT_FAILED');
      const list = await request(t.h.app).get('/v1/admin/bookings').set(asStaff);
      expect(list.status).toBe(200);
      expect(list.body.items.map((b: { id: string }) => b.id)).toContain(res.body.id);
      const byStatus = await request(t.h.app)
        .get('/v1/admin/bookings')
        .query({ status: 'PAYMENT_FAILED|PAYMENT_UNKNOWN' })
        .set(asStaff);
      expect(
        byStatus.body.items.every((b: { status: string }) =>
          ['PAYMENT_FAILED', 'PAYMENT_UNKNOWN'].includes(b.status),
        ),
      ).toBe(true);
      const bad = await request(t.h.app)
        .get('/v1/admin/bookings')
        .query({ status: 'PAID' })
        .set(asStaff);
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['status']);
      const traveller = await request(t.h.app).get('/v1/admin/bookings').set(t.asA);
      expect(traveller.status).toBe(403);
      expect(traveller.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((await act(res.body.id, { action: 'mark-resolved', reason: 'x' }, t.asA)).status).toBe(
        403,
      );
    });

    test('mark-resolved clears the flag of a PAYMENT_FAILED booking, with an audit row; refused from other states naming action', async () => {
      await t.h.simulator({ declineRate: 1 });
      const res = await book(await newTour());
      await settled(res.body.id, 'PAYMENT_FAILED');
      const resolved = await act(res.body.id, {
        action: 'mark-resolved',
        reason: 'called the traveller; they book again',
      });
      expect(resolved.status).toBe(200);
      expect(resolved.body.booking).toMatchObject({
        status: 'PAYMENT_FAILED',
        requiresManualIntervention: false,
      });
      expect(resolved.body.audit).toMatchObject({
        actorId: staffId,
        action: 'mark-resolved',
        from: 'PAYMENT_FAILED',
        to: 'PAYMENT_FAILED',
      });
      const { rows } = await t.h.pool.query('SELECT * FROM booking_audit WHERE booking_id = $1', [
        res.body.id,
      ]);
      expect(rows).toHaveLength(1);
      const retry = await act(res.body.id, { action: 'retry-payment', reason: 'card fixed' });
      expect(retry.status).toBe(409);
      expect(retry.body.errors).toEqual([expect.objectContaining({ field: 'action' })]);
      expect(
        (await t.h.pool.query('SELECT 1 FROM booking_audit WHERE booking_id = $1', [res.body.id]))
          .rowCount,
      ).toBe(1);
    });

    test.each([
      [{ action: 'refund', reason: 'x' }, 'action'],
      [{ action: 'mark-resolved', reason: '' }, 'reason'],
      [{ action: 'mark-resolved', reason: 'a\u0000b' }, 'reason'],
      [{ action: 'mark-resolved' }, 'reason'],
    ])('400 for %j naming %s', async (body, field) => {
      const res = await act('00000000-0000-4000-8000-000000000001', body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    test('retry-payment of a PAYMENT_UNKNOWN booking pays it with the same key; cancel-and-release of another gives back seats and money', async () => {
      const tourId = await newTour();
      t.h.proxies.payment!.setRules([
        { ...chargePost, mode: 'apply-then-drop' },
        { ...paymentLookup, mode: 'fail' },
      ]);
      const retried = await book(tourId);
      const cancelled = await book(tourId, 3);
      await settled(retried.body.id, 'PAYMENT_UNKNOWN');
      await settled(cancelled.body.id, 'PAYMENT_UNKNOWN');
      t.h.proxies.payment!.setRules([]);
      const retry = await act(retried.body.id, { action: 'retry-payment', reason: 'stuck' });
      expect(retry.status).toBe(200);
      expect(retry.body.audit).toMatchObject({ from: 'PAYMENT_UNKNOWN', to: 'PENDING_PAYMENT' });
      await settled(retried.body.id, 'CONFIRMED');
      const cancel = await act(cancelled.body.id, {
        action: 'cancel-and-release',
        reason: 'traveller asked by phone',
      });
      expect(cancel.status).toBe(200);
      expect(cancel.body.booking.status).toBe('CANCELLED');
      await eventually(
        async () => {
          const [payment] = await paymentsOf(t.h.payment, cancelled.body.id);
          return payment?.refundedCents === payment?.amountCents;
        },
        30_000,
        'refund of the cancelled booking',
      );
      await checkInvariants();
      const again = await act(cancelled.body.id, { action: 'cancel-and-release', reason: 'again' });
      expect(again.status).toBe(409);
      const missing = await act('00000000-0000-4000-8000-000000000001', {
        action: 'mark-resolved',
        reason: 'x',
      });
      expect(missing.status).toBe(404);
    });
  });

  test('another user is not staff: userB cannot read the admin list either', async () => {
    const asB = await t.h.auth.authHeader(userB, { roles: ['customer'] });
    expect((await request(t.h.app).get('/v1/admin/bookings').set(asB)).status).toBe(403);
  });
});

describe('the circuit is open: payment jobs wait for it and do not burn attempts', () => {
  const t = harnessForFile('booking_saga_circuit', {
    env: { ...FAST_FLOW, PAYMENT_BREAKER_VOLUME: '2', PAYMENT_BREAKER_RESET_MS: '1000' },
    setup: startBackground,
  });

  test('a provider outage longer than the whole retry schedule: still PENDING_PAYMENT, then CONFIRMED; every counted attempt was a real call', async () => {
    const tourId = await t.h.createTour();
    await t.h.simulator({ outage: true });
    const res = await postBooking(t.h, t.asA, 'circuit-wait-1', { tourId, travellers: 2 });
    expect(res.body.status).toBe('PENDING_PAYMENT');
    await eventually(() => t.h.background.breaker.opened, 10_000, 'the circuit to open');
    // Longer than 50 + 100 + 200 + 400 + 800 ms: retries that did not wait would have ended it.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const waiting = await request(t.h.app).get(`/v1/bookings/${res.body.id}`).set(t.asA);
    expect(waiting.body.status).toBe('PENDING_PAYMENT');
    expect(waiting.body.paymentAttempts).toBeLessThan(6);
    await t.h.simulator({ outage: false });
    await eventually(
      async () =>
        (await request(t.h.app).get(`/v1/bookings/${res.body.id}`).set(t.asA)).body.status ===
        'CONFIRMED',
      60_000,
      'CONFIRMED',
    );
    const confirmed = await request(t.h.app).get(`/v1/bookings/${res.body.id}`).set(t.asA);
    const [payment] = await paymentsOf(t.h.payment, res.body.id);
    expect(confirmed.body.paymentAttempts).toBe(payment!.attempts);
  });
});
