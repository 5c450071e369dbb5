import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { PAYMENT_INTERNAL_TOKEN, startPaymentApp } from '../../src/testing.js';

type Started = Awaited<ReturnType<typeof startPaymentApp>>;
let payment: Started;
const internal = { 'x-internal-token': PAYMENT_INTERNAL_TOKEN };

beforeAll(async () => {
  payment = await startPaymentApp('payment_api');
});

afterAll(async () => {
  await payment?.dispose();
});

afterEach(async () => {
  await request(payment.app)
    .put('/internal/simulator')
    .set(internal)
    .send({ failureRate: 0, declineRate: 0, latencyMs: 0, outage: false, loseResponseRate: 0 });
});

const chargeBody = () => ({
  bookingId: randomUUID(),
  userId: randomUUID(),
  amountCents: 12_000,
  currency: 'EUR',
});
const charge = (key: string, body: object) =>
  request(payment.app)
    .post('/internal/payments')
    .set(internal)
    .set('Idempotency-Key', key)
    .send(body);
const simulator = (settings: object) =>
  request(payment.app).put('/internal/simulator').set(internal).send(settings);
const chargesAtProvider = async (key: string) =>
  (await payment.simulator.operations('charge')).filter(
    (op) => op.idempotencyKey === `charge:${key}`,
  ).length;

describe('POST /internal/payments', () => {
  test('charges once; the same key replays the stored result', async () => {
    const body = chargeBody();
    const key = `booking:${body.bookingId}`;
    const first = await charge(key, body);
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

    const again = await charge(key, body);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await chargesAtProvider(key)).toBe(1);
  });

  test('the same key with another body is refused with 422 and charges nothing more', async () => {
    const body = chargeBody();
    const key = `k-${randomUUID()}`;
    expect((await charge(key, body)).status).toBe(201);
    const reused = await charge(key, { ...body, amountCents: 1 });
    expect(reused.status).toBe(422);
    expect(reused.body.type).toBe('https://tourkit.dev/problems/idempotency-key-reused');
    expect(reused.body.errors[0].field).toBe('Idempotency-Key');
    expect(await chargesAtProvider(key)).toBe(1);
  });

  test('concurrent requests with the same key charge once and all see the same payment', async () => {
    await simulator({ latencyMs: 100 });
    const body = chargeBody();
    const key = `k-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => charge(key, body)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    expect(await chargesAtProvider(key)).toBe(1);
  });

  test('a provider failure is 503 and the same key is attempted again, then succeeds', async () => {
    const body = chargeBody();
    const key = `k-${randomUUID()}`;
    await simulator({ failureRate: 1 });
    const failed = await charge(key, body);
    expect(failed.status).toBe(503);
    expect(failed.body.type).toBe('https://tourkit.dev/problems/provider-unavailable');
    expect(await chargesAtProvider(key)).toBe(0);

    await simulator({ failureRate: 0 });
    const retried = await charge(key, body);
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(retried.body).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    expect(await chargesAtProvider(key)).toBe(1);
  });

  test('a decline is 402 payment-declined, and final: the same key replays it without a new try', async () => {
    await simulator({ declineRate: 1 });
    const body = chargeBody();
    const key = `booking:${body.bookingId}`;
    const declined = await charge(key, body);
    expect(declined.status).toBe(402);
    expect(declined.body.type).toBe('https://tourkit.dev/problems/payment-declined');

    await simulator({ declineRate: 0 });
    const again = await charge(key, body);
    expect(again.status).toBe(402);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await chargesAtProvider(key)).toBe(0);
    const list = await request(payment.app)
      .get(`/internal/payments?bookingId=${body.bookingId}`)
      .set(internal);
    expect(list.body.items).toEqual([
      expect.objectContaining({ status: 'DECLINED', attempts: 1, idempotencyKey: key }),
    ]);
  });

  test('a charge whose answer is lost is 202 PENDING, not a failure; the same key does not charge again', async () => {
    await simulator({ loseResponseRate: 1 });
    const body = chargeBody();
    const key = `booking:${body.bookingId}`;
    const lost = await charge(key, body);
    expect(lost.status).toBe(202);
    expect(lost.body).toMatchObject({ status: 'PENDING', idempotencyKey: key, providerRef: null });
    expect(lost.headers.location).toBe(`/internal/payments/${lost.body.id}`);
    expect(await chargesAtProvider(key)).toBe(1);

    // Asked again while the attempt may still be in flight: no second provider call.
    await simulator({ loseResponseRate: 0 });
    const again = await charge(key, body);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: lost.body.id, status: 'PENDING' });
    expect(await chargesAtProvider(key)).toBe(1);
  });

  test('bad input is 400 naming each field; the key header is required', async () => {
    const noKey = await request(payment.app)
      .post('/internal/payments')
      .set(internal)
      .send(chargeBody());
    expect(noKey.status).toBe(400);
    expect(noKey.body.errors.map((e: { field: string }) => e.field)).toEqual(['Idempotency-Key']);
    const bad = await charge('k', {
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
    const res = await request(payment.app).post('/internal/payments').send(chargeBody());
    expect(res.status).toBe(401);
  });

  test("GET /internal/payments?bookingId= lists the booking's payments", async () => {
    const body = chargeBody();
    await charge(`booking:${body.bookingId}`, body);
    const list = await request(payment.app)
      .get(`/internal/payments?bookingId=${body.bookingId}`)
      .set(internal);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ bookingId: body.bookingId, status: 'SUCCEEDED' });
  });
});

describe('POST /internal/payments/:id/refunds', () => {
  const refund = (paymentId: string, key: string, body: object = {}) =>
    request(payment.app)
      .post(`/internal/payments/${paymentId}/refunds`)
      .set(internal)
      .set('Idempotency-Key', key)
      .send(body);

  test('refunds once per key and never more than was paid', async () => {
    const paid = await charge(`k-${randomUUID()}`, chargeBody());
    const id = paid.body.id as string;
    const first = await refund(id, `r-${id}`);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ paymentId: id, status: 'SUCCEEDED', amountCents: 12_000 });
    const replay = await refund(id, `r-${id}`);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    const more = await refund(id, `r2-${id}`, { amountCents: 1 });
    expect(more.status).toBe(409);
    expect(more.body.type).toBe('https://tourkit.dev/problems/refund-exceeds-capture');
    expect(more.body).toMatchObject({ amountCents: 1, refundableCents: 0 });
    expect(more.body.errors).toEqual([{ field: 'amountCents', message: 'must be at most 0' }]);
    const view = await request(payment.app).get(`/internal/payments/${id}`).set(internal);
    expect(view.body.refundedCents).toBe(12_000);
    expect(
      (await payment.simulator.operations('refund')).filter(
        (op) => op.idempotencyKey === `refund:r-${id}`,
      ),
    ).toHaveLength(1);
  });

  test('a payment that never succeeded cannot be refunded; an unknown one is 404', async () => {
    await simulator({ failureRate: 1 });
    const failed = await charge(`k-${randomUUID()}`, chargeBody());
    expect(failed.status).toBe(503);
    const { rows } = await payment.pool.query<{ id: string }>(
      `SELECT id FROM payments WHERE status = 'FAILED' LIMIT 1`,
    );
    expect((await refund(rows[0]!.id, `r-${randomUUID()}`)).status).toBe(409);
    expect((await refund(randomUUID(), `r-${randomUUID()}`)).status).toBe(404);
  });
});

describe('simulator and health', () => {
  test('GET/PUT /internal/simulator changes the provider at run time; bad values are 400', async () => {
    const put = await simulator({ failureRate: 0.25, latencyMs: 10 });
    expect(put.body).toEqual({
      failureRate: 0.25,
      declineRate: 0,
      latencyMs: 10,
      outage: false,
      loseResponseRate: 0,
    });
    const get = await request(payment.app).get('/internal/simulator').set(internal);
    expect(get.body).toEqual(put.body);
    const bad = await simulator({ failureRate: 2, outage: 'yes', loseResponseRate: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'failureRate',
      'loseResponseRate',
      'outage',
    ]);
  });

  test("GET /internal/simulator/operations lists the provider's ledger by the start of the Idempotency-Key", async () => {
    const body = chargeBody();
    const key = `booking:${body.bookingId}`;
    const charged = await charge(key, body);
    expect(charged.status).toBe(201);
    const refunded = await request(payment.app)
      .post(`/internal/payments/${charged.body.id}/refunds`)
      .set(internal)
      .set('Idempotency-Key', `${key}:refund`)
      .send({ amountCents: 2_000 });
    expect(refunded.status).toBe(201);
    const other = chargeBody();
    expect((await charge(`booking:${other.bookingId}`, other)).status).toBe(201);

    const ledger = (prefix: string) =>
      request(payment.app)
        .get('/internal/simulator/operations')
        .query({ idempotencyKeyPrefix: prefix })
        .set(internal);
    const found = await ledger(key);
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([
      {
        kind: 'charge',
        idempotencyKey: key,
        providerRef: charged.body.providerRef,
        amountCents: 12_000,
        createdAt: expect.any(String),
      },
      expect.objectContaining({
        kind: 'refund',
        idempotencyKey: `${key}:refund`,
        amountCents: 2_000,
      }),
    ]);
    // The prefix is text, not a pattern: LIKE's wildcards match nothing here.
    expect((await ledger('booking:%')).body.items).toEqual([]);
    expect((await ledger('booking:_')).body.items).toEqual([]);
  });

  test('GET /internal/simulator/operations: a missing or bad prefix is a problem naming it; the token is required', async () => {
    for (const query of [
      {},
      { idempotencyKeyPrefix: 'with space' },
      { idempotencyKeyPrefix: 'x'.repeat(256) },
    ]) {
      const bad = await request(payment.app)
        .get('/internal/simulator/operations')
        .query(query)
        .set(internal);
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'idempotencyKeyPrefix',
      ]);
    }
    const repeated = await request(payment.app)
      .get('/internal/simulator/operations?idempotencyKeyPrefix=a&idempotencyKeyPrefix=b')
      .set(internal);
    expect(repeated.status).toBe(400);
    expect(
      (await request(payment.app).get('/internal/simulator/operations?idempotencyKeyPrefix=a'))
        .status,
    ).toBe(401);
  });

  test('/health is DEGRADED, not DOWN, during a provider outage; ready all along', async () => {
    expect((await request(payment.app).get('/health')).body.status).toBe('UP');
    await simulator({ outage: true });
    const health = await request(payment.app).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('DEGRADED');
    expect(health.body.checks.provider).toMatchObject({ status: 'DOWN', critical: false });
    expect(health.body.checks.db).toMatchObject({ status: 'UP', critical: true });
    expect((await request(payment.app).get('/readyz')).status).toBe(200);
  });

  test('/metrics counts payments by status and times the provider', async () => {
    await charge(`k-${randomUUID()}`, chargeBody());
    const metrics = await request(payment.app).get('/metrics');
    expect(metrics.text).toMatch(/payments_total\{[^}]*status="SUCCEEDED"[^}]*\} \d+/);
    expect(metrics.text).toMatch(
      /payment_provider_duration_seconds_count\{[^}]*operation="charge"/,
    );
    expect(metrics.text).toMatch(/payment_pending_operations\{operation="charge"\} \d+/);
    expect(metrics.text).toMatch(/payment_pending_oldest_age_seconds\{operation="refund"\} [\d.]+/);
  });
});
