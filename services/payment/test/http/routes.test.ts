import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { charge, chargeBody, internal, paymentApiFor, simulator } from '../support/payment-api.js';

const api = paymentApiFor('payment_api');

describe('simulator and health', () => {
  test('GET/PUT /internal/simulator changes the provider at run time; bad values are 400', async () => {
    const put = await simulator(api.payment, { failureRate: 0.25, latencyMs: 10 });
    expect(put.body).toEqual({
      failureRate: 0.25,
      declineRate: 0,
      latencyMs: 10,
      outage: false,
      loseResponseRate: 0,
    });
    const get = await request(api.payment.app).get('/internal/simulator').set(internal);
    expect(get.body).toEqual(put.body);
    const bad = await simulator(api.payment, {
      failureRate: 2,
      outage: 'yes',
      loseResponseRate: -1,
    });
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
    const charged = await charge(api.payment, key, body);
    expect(charged.status).toBe(201);
    const refunded = await request(api.payment.app)
      .post(`/internal/payments/${charged.body.id}/refunds`)
      .set(internal)
      .set('Idempotency-Key', `${key}:refund`)
      .send({ amountCents: 2_000 });
    expect(refunded.status).toBe(201);
    const other = chargeBody();
    expect((await charge(api.payment, `booking:${other.bookingId}`, other)).status).toBe(201);

    const ledger = (prefix: string) =>
      request(api.payment.app)
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
      const bad = await request(api.payment.app)
        .get('/internal/simulator/operations')
        .query(query)
        .set(internal);
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'idempotencyKeyPrefix',
      ]);
    }
    const repeated = await request(api.payment.app)
      .get('/internal/simulator/operations?idempotencyKeyPrefix=a&idempotencyKeyPrefix=b')
      .set(internal);
    expect(repeated.status).toBe(400);
    expect(
      (await request(api.payment.app).get('/internal/simulator/operations?idempotencyKeyPrefix=a'))
        .status,
    ).toBe(401);
  });

  test('/health is DEGRADED, not DOWN, during a provider outage; ready all along', async () => {
    expect((await request(api.payment.app).get('/health')).body.status).toBe('UP');
    await simulator(api.payment, { outage: true });
    const health = await request(api.payment.app).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('DEGRADED');
    expect(health.body.checks.provider).toMatchObject({ status: 'DOWN', critical: false });
    expect(health.body.checks.db).toMatchObject({ status: 'UP', critical: true });
    expect((await request(api.payment.app).get('/readyz')).status).toBe(200);
  });

  test('/metrics counts payments by status and times the provider', async () => {
    await charge(api.payment, `k-${randomUUID()}`, chargeBody());
    const metrics = await request(api.payment.app).get('/metrics');
    expect(metrics.text).toMatch(/payments_total\{[^}]*status="SUCCEEDED"[^}]*\} \d+/);
    expect(metrics.text).toMatch(
      /payment_provider_duration_seconds_count\{[^}]*operation="charge"/,
    );
    expect(metrics.text).toMatch(/payment_pending_operations\{operation="charge"\} \d+/);
    expect(metrics.text).toMatch(/payment_pending_oldest_age_seconds\{operation="refund"\} [\d.]+/);
  });
});
