import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startHarness, type Harness } from '../support/harness.js';
import {
  charge,
  chargeBody,
  chargesAtProvider,
  internal,
  paymentApiFor,
  simulator,
} from '../support/payment-api.js';

/**
 * The most charges booking can have in flight at once: its HPA's maxReplicas (15: PeakTime in
 * cdk8s/src/profiles.ts) × its PAYMENT_WORKER_CONCURRENCY (default 5: services/booking/src/config.ts).
 */
const BOOKING_MAX_CONCURRENT_CHARGES = 15 * 5;
/** Just past RECONCILE_AFTER_MS (default 30 s): the reconciler takes rows claimed strictly before it. */
const PAST_RECONCILE_BOUND_MS = 30_001;

let h: Harness;

beforeAll(async () => {
  h = await startHarness('payment_charge', { DUPLICATE_WAIT_MS: '300' });
});

afterAll(async () => {
  await h?.payment.dispose();
});

afterEach(async () => {
  await h.calm();
});

describe('charges never hold a connection across the provider call', () => {
  test.each([20, BOOKING_MAX_CONCURRENT_CHARGES])(
    '%i concurrent charges, a 2 s provider and the default pool: every one 201, each charged once',
    async (n) => {
      expect(h.payment.pool.options.max).toBe(10); // DB_POOL_MAX's default, as in the cluster
      await h.simulator({ latencyMs: 2_000 });
      const bodies = Array.from({ length: n }, () => h.chargeBody());
      const answers = await Promise.all(bodies.map((b) => h.charge(`booking:${b.bookingId}`, b)));
      expect(answers.map((a) => a.status)).toEqual(Array(n).fill(201));
      expect(answers.every((a) => a.body.status === 'SUCCEEDED')).toBe(true);
      const charged = await h.payment.simulator.operations('charge');
      for (const body of bodies)
        expect(
          charged.filter((op) => op.idempotencyKey === `charge:booking:${body.bookingId}`),
        ).toHaveLength(1);
    },
  );
});

describe('an unknown outcome is a state, settled by the reconciler', () => {
  test('charged, answer lost: 202 PENDING, retries do not charge again, reconciliation makes it SUCCEEDED once', async () => {
    await h.simulator({ loseResponseRate: 1 });
    const body = h.chargeBody();
    const key = `booking:${body.bookingId}`;
    const lost = await h.charge(key, body);
    expect(lost.status).toBe(202);
    expect(lost.body).toMatchObject({ status: 'PENDING', attempts: 1 });

    // Booking asking again (even all at once) while the outcome is unknown: PENDING, no new charge.
    const retries = await Promise.all([1, 2, 3].map(() => h.charge(key, body)));
    expect(retries.map((r) => [r.status, r.body.status])).toEqual(Array(3).fill([202, 'PENDING']));
    expect(await h.chargesAtProvider(key)).toHaveLength(1);

    // Before its bound the reconciler leaves it alone: the attempt may still be in flight.
    await h.payment.reconciler.reconcileOnce();
    expect((await h.get(lost.body.id)).body.status).toBe('PENDING');

    // Past the bound it asks the provider by the key (answers still lost: only a lookup can tell).
    h.advance(PAST_RECONCILE_BOUND_MS);
    const round = await h.payment.reconciler.reconcileOnce();
    expect(round.charges.SUCCEEDED).toBeGreaterThanOrEqual(1);
    const [operation] = await h.chargesAtProvider(key);
    const settled = await h.get(lost.body.id);
    expect(settled.body).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
    expect(settled.body.providerRef).toMatch(/^sim_ch_/);

    const replay = await h.charge(key, body);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(lost.body.id);
    expect(await h.chargesAtProvider(key)).toEqual([operation]);
  });

  test('a provider slower than PROVIDER_TIMEOUT_MS: 202, it charges later, reconciliation finds it', async () => {
    await h.simulator({ latencyMs: 4_500 }); // PROVIDER_TIMEOUT_MS is 4 s by default
    const body = h.chargeBody();
    const key = `booking:${body.bookingId}`;
    const timedOut = await h.charge(key, body);
    expect(timedOut.status).toBe(202);
    expect(timedOut.body.status).toBe('PENDING');
    // The provider carries the call out after our timeout (it cannot be called back).
    while ((await h.chargesAtProvider(key)).length === 0)
      await new Promise((resolve) => setTimeout(resolve, 100));

    h.advance(PAST_RECONCILE_BOUND_MS);
    await h.payment.reconciler.reconcileOnce();
    expect((await h.get(timedOut.body.id)).body.status).toBe('SUCCEEDED');
    expect(await h.chargesAtProvider(key)).toHaveLength(1);
  });

  test('a provider failure is FAILED (503) and retryable; a decline is DECLINED (402) and final', async () => {
    await h.simulator({ failureRate: 1 });
    const body = h.chargeBody();
    const key = `booking:${body.bookingId}`;
    const failed = await h.charge(key, body);
    expect(failed.status).toBe(503);
    expect(await h.list(body.bookingId)).toEqual([
      expect.objectContaining({ status: 'FAILED', attempts: 1 }),
    ]);
    await h.simulator({ failureRate: 0, declineRate: 1 });
    const declined = await h.charge(key, body);
    expect(declined.status).toBe(402);
    await h.simulator({ declineRate: 0 });
    const final = await h.charge(key, body);
    expect(final.status).toBe(402);
    expect(final.body.paymentId).toBe(declined.body.paymentId);
    expect(await h.list(body.bookingId)).toEqual([
      expect.objectContaining({ status: 'DECLINED', attempts: 2 }),
    ]);
    expect(await h.chargesAtProvider(key)).toHaveLength(0);
  });
});

describe('POST /internal/payments', () => {
  // The API on a payment app of its own, with default settings.
  const api = paymentApiFor('payment_api_charge');

  test('charges once; the same key replays the stored result', async () => {
    const body = chargeBody();
    const key = `booking:${body.bookingId}`;
    const first = await charge(api.payment, key, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      bookingId: body.bookingId,
      status: 'SUCCEEDED',
      amountCents: 12_000,
      currency: 'EUR',
      attempts: 1,
      idempotencyKey: key,
    });
    expect(first.body.providerRef).toMatch(/^sim_ch_/);

    const again = await charge(api.payment, key, body);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await chargesAtProvider(api.payment, key)).toBe(1);
  });

  test('the same key with another body is refused with 422 and charges nothing more', async () => {
    const body = chargeBody();
    const key = `k-${randomUUID()}`;
    expect((await charge(api.payment, key, body)).status).toBe(201);
    const reused = await charge(api.payment, key, { ...body, amountCents: 1 });
    expect(reused.status).toBe(422);
    expect(reused.body.type).toBe('https://tourkit.dev/problems/idempotency-key-reused');
    expect(reused.body.errors[0].field).toBe('Idempotency-Key');
    expect(await chargesAtProvider(api.payment, key)).toBe(1);
  });

  test('concurrent requests with the same key charge once and all see the same payment', async () => {
    await simulator(api.payment, { latencyMs: 100 });
    const body = chargeBody();
    const key = `k-${randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => charge(api.payment, key, body)),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    expect(await chargesAtProvider(api.payment, key)).toBe(1);
  });

  test('a provider failure is 503 and the same key is attempted again, then succeeds', async () => {
    const body = chargeBody();
    const key = `k-${randomUUID()}`;
    await simulator(api.payment, { failureRate: 1 });
    const failed = await charge(api.payment, key, body);
    expect(failed.status).toBe(503);
    expect(failed.body.type).toBe('https://tourkit.dev/problems/provider-unavailable');
    expect(await chargesAtProvider(api.payment, key)).toBe(0);

    await simulator(api.payment, { failureRate: 0 });
    const retried = await charge(api.payment, key, body);
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.body).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    expect(await chargesAtProvider(api.payment, key)).toBe(1);
  });

  test('a decline is 402 payment-declined, and final: the same key replays it without a new try', async () => {
    await simulator(api.payment, { declineRate: 1 });
    const body = chargeBody();
    const key = `booking:${body.bookingId}`;
    const declined = await charge(api.payment, key, body);
    expect(declined.status).toBe(402);
    expect(declined.body.type).toBe('https://tourkit.dev/problems/payment-declined');

    await simulator(api.payment, { declineRate: 0 });
    const again = await charge(api.payment, key, body);
    expect(again.status).toBe(402);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await chargesAtProvider(api.payment, key)).toBe(0);
    const list = await request(api.payment.app)
      .get(`/internal/payments?bookingId=${body.bookingId}`)
      .set(internal);
    expect(list.body.items).toEqual([
      expect.objectContaining({ status: 'DECLINED', attempts: 1, idempotencyKey: key }),
    ]);
  });

  test('a charge whose answer is lost is 202 PENDING, not a failure; the same key does not charge again', async () => {
    await simulator(api.payment, { loseResponseRate: 1 });
    const body = chargeBody();
    const key = `booking:${body.bookingId}`;
    const lost = await charge(api.payment, key, body);
    expect(lost.status).toBe(202);
    expect(lost.body).toMatchObject({ status: 'PENDING', idempotencyKey: key, providerRef: null });
    expect(lost.headers.location).toBe(`/internal/payments/${lost.body.id}`);
    expect(await chargesAtProvider(api.payment, key)).toBe(1);

    // Asked again while the attempt may still be in flight: no second provider call.
    await simulator(api.payment, { loseResponseRate: 0 });
    const again = await charge(api.payment, key, body);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: lost.body.id, status: 'PENDING' });
    expect(await chargesAtProvider(api.payment, key)).toBe(1);
  });

  test('bad input is 400 naming each field; the key header is required', async () => {
    const noKey = await request(api.payment.app)
      .post('/internal/payments')
      .set(internal)
      .send(chargeBody());
    expect(noKey.status).toBe(400);
    expect(noKey.body.errors.map((e: { field: string }) => e.field)).toEqual(['Idempotency-Key']);
    const bad = await charge(api.payment, 'k', {
      bookingId: 'x',
      userId: randomUUID(),
      amountCents: 0,
      currency: 'USD',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'amountCents',
      'bookingId',
      'currency',
    ]);
  });

  test('internal endpoints need the internal token', async () => {
    const res = await request(api.payment.app).post('/internal/payments').send(chargeBody());
    expect(res.status).toBe(401);
  });

  test("GET /internal/payments?bookingId= lists the booking's payments", async () => {
    const body = chargeBody();
    await charge(api.payment, `booking:${body.bookingId}`, body);
    const list = await request(api.payment.app)
      .get(`/internal/payments?bookingId=${body.bookingId}`)
      .set(internal);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ bookingId: body.bookingId, status: 'SUCCEEDED' });
  });
});
