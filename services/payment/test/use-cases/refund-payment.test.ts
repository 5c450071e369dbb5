import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { requestHash } from '../../src/domain/request-hash.js';
import { startHarness, type Harness } from '../support/harness.js';
import { charge, chargeBody, internal, paymentApiFor, simulator } from '../support/payment-api.js';

/** Just past RECONCILE_AFTER_MS (default 30 s): the reconciler takes rows claimed strictly before it. */
const PAST_RECONCILE_BOUND_MS = 30_001;
let h: Harness;

beforeAll(async () => {
  h = await startHarness('payment_refund');
});

afterAll(async () => {
  await h?.payment.dispose();
});

afterEach(async () => {
  await h.calm();
});

/** A SUCCEEDED payment of `amountCents`, its id. */
async function paid(amountCents: number): Promise<string> {
  const body = h.chargeBody(amountCents);
  const answer = await h.charge(`booking:${body.bookingId}`, body);
  expect(answer.status).toBe(201);
  return answer.body.id as string;
}

/** Refunds of the payment as the provider carried them out, in cents. */
async function refundedAtProvider(keys: string[]): Promise<number> {
  let total = 0;
  for (const key of keys) for (const op of await h.refundsAtProvider(key)) total += op.amountCents;
  return total;
}

describe('refunds never exceed the capture, whatever the concurrency', () => {
  test('10 concurrent full refunds of a 1,200-cent payment refund exactly 1,200', async () => {
    const id = await paid(1_200);
    await h.simulator({ latencyMs: 200 }); // every refund is in flight at once
    const keys = Array.from({ length: 10 }, () => `refund-${randomUUID()}`);
    const answers = await Promise.all(keys.map((key) => h.refund(id, key)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(9);
    for (const refused of answers.filter((a) => a.status === 409))
      expect(refused.body).toMatchObject({
        type: 'https://tourkit.dev/problems/refund-exceeds-capture',
        errors: [{ field: 'amountCents', message: 'must be at most 0' }],
      });
    expect((await h.get(id)).body.refundedCents).toBe(1_200);
    expect(await refundedAtProvider(keys)).toBe(1_200);
  });

  test('10 concurrent refunds with the same key refund once', async () => {
    const id = await paid(1_200);
    await h.simulator({ latencyMs: 200 });
    const key = `booking:${randomUUID()}:refund`;
    const answers = await Promise.all(Array.from({ length: 10 }, () => h.refund(id, key)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await h.refundsAtProvider(key)).toHaveLength(1);
    expect((await h.get(id)).body.refundedCents).toBe(1_200);
  });

  test('concurrent partial refunds summing over the capture: each 201 or 409, the total within it', async () => {
    const id = await paid(1_200);
    await h.simulator({ latencyMs: 200 });
    const amounts = [300, 500, 400, 200, 350, 250, 100, 450];
    const keys = amounts.map(() => `refund-${randomUUID()}`);
    const answers = await Promise.all(
      amounts.map((amountCents, i) => h.refund(id, keys[i]!, { amountCents })),
    );
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    const refunded = answers
      .filter((a) => a.status === 201)
      .reduce((sum, a) => sum + (a.body.amountCents as number), 0);
    expect(refunded).toBeLessThanOrEqual(1_200);
    // A refusal is only right when its amount no longer fitted.
    for (const [i, answer] of answers.entries())
      if (answer.status === 409) expect(amounts[i]).toBeGreaterThan(answer.body.refundableCents);
    expect((await h.get(id)).body.refundedCents).toBe(refunded);
    expect(await refundedAtProvider(keys)).toBe(refunded);
  });
});

describe('partial refunds complete', () => {
  test('a partial refund, then the rest (no amount): both SUCCEEDED, the capture refunded', async () => {
    const id = await paid(1_200);
    const part = await h.refund(id, `refund-${randomUUID()}`, { amountCents: 500 });
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({ status: 'SUCCEEDED', amountCents: 500 });
    const rest = await h.refund(id, `refund-${randomUUID()}`);
    expect(rest.status).toBe(201);
    expect(rest.body).toMatchObject({ status: 'SUCCEEDED', amountCents: 700 });
    expect((await h.get(id)).body.refundedCents).toBe(1_200);
    const more = await h.refund(id, `refund-${randomUUID()}`, { amountCents: 1 });
    expect(more.status).toBe(409);
    expect(more.body).toMatchObject({ amountCents: 1, refundableCents: 0 });
  });

  test('a refused (too large) refund leaves nothing behind: a smaller one with the next key succeeds', async () => {
    const id = await paid(1_200);
    const tooMuch = await h.refund(id, `refund-${randomUUID()}`, { amountCents: 1_201 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body).toMatchObject({ amountCents: 1_201, refundableCents: 1_200 });
    const { rows } = await h.payment.pool.query(
      `SELECT status FROM refunds WHERE payment_id = $1`,
      [id],
    );
    expect(rows).toEqual([]);
    expect((await h.refund(id, `refund-${randomUUID()}`, { amountCents: 1_200 })).status).toBe(201);
  });

  test('a failed refund (503) gives its reservation back; its key, asked again, is measured again', async () => {
    const id = await paid(1_200);
    const failedKey = `refund-${randomUUID()}`;
    await h.simulator({ failureRate: 1 });
    const failed = await h.refund(id, failedKey);
    expect(failed.status).toBe(503);
    expect(failed.body.type).toBe('https://tourkit.dev/problems/provider-unavailable');

    await h.simulator({ failureRate: 0 });
    const other = await h.refund(id, `refund-${randomUUID()}`, { amountCents: 1_000 });
    expect(other.status).toBe(201);
    // The failed key was "the whole payment" at 1,200; only 200 are left now.
    const retried = await h.refund(id, failedKey);
    expect(retried.status).toBe(409);
    expect(retried.body).toMatchObject({ amountCents: 1_200, refundableCents: 200 });
    expect(await h.refundsAtProvider(failedKey)).toEqual([]);
  });
});

describe('unknown refund outcomes are reconciled like charges', () => {
  test('refunded, answer lost: 202 PENDING holding its amount, then SUCCEEDED once', async () => {
    const id = await paid(1_200);
    const key = `booking:${randomUUID()}:refund`;
    await h.simulator({ loseResponseRate: 1 });
    const lost = await h.refund(id, key);
    expect(lost.status).toBe(202);
    expect(lost.body).toMatchObject({ status: 'PENDING', amountCents: 1_200 });
    await h.simulator({ loseResponseRate: 0 });

    // Pending, the amount is still held: nothing else can be refunded meanwhile.
    const meanwhile = await h.refund(id, `refund-${randomUUID()}`, { amountCents: 1 });
    expect(meanwhile.status).toBe(409);
    expect((await h.get(id)).body.refundedCents).toBe(0);

    h.advance(PAST_RECONCILE_BOUND_MS);
    await h.payment.reconciler.reconcileOnce();
    expect((await h.get(id)).body.refundedCents).toBe(1_200);
    const replay = await h.refund(id, key);
    expect(replay.status).toBe(201);
    expect(replay.body).toMatchObject({ id: lost.body.id, status: 'SUCCEEDED' });
    expect(await h.refundsAtProvider(key)).toHaveLength(1);
  });
});

test('a refund recorded before the upgrade (its hash over the resolved amount) still replays', async () => {
  const id = await paid(1_200);
  const key = `booking:${randomUUID()}:refund`;
  // What the previous code stored for a refund sent without an amount.
  await h.payment.pool.query(
    `INSERT INTO refunds (payment_id, amount_cents, status, provider_ref, idempotency_key,
       request_hash, attempts)
     VALUES ($1, 1200, 'SUCCEEDED', 'sim_re_legacy', $2, $3, 1)`,
    [id, key, requestHash({ paymentId: id, amountCents: 1_200 })],
  );
  const replay = await h.refund(id, key);
  expect(replay.status).toBe(201);
  expect(replay.body).toMatchObject({ status: 'SUCCEEDED', providerRef: 'sim_re_legacy' });
  expect((await h.refund(id, key, { amountCents: 5 })).status).toBe(422);
});

describe('POST /internal/payments/:id/refunds', () => {
  // The API on a payment app of its own, with default settings.
  const api = paymentApiFor('payment_api_refund');

  const refund = (paymentId: string, key: string, body: object = {}) =>
    request(api.payment.app)
      .post(`/internal/payments/${paymentId}/refunds`)
      .set(internal)
      .set('Idempotency-Key', key)
      .send(body);

  test('refunds once per key and never more than was paid', async () => {
    const paid = await charge(api.payment, `k-${randomUUID()}`, chargeBody());
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
    const view = await request(api.payment.app).get(`/internal/payments/${id}`).set(internal);
    expect(view.body.refundedCents).toBe(12_000);
    expect(
      (await api.payment.simulator.operations('refund')).filter(
        (op) => op.idempotencyKey === `refund:r-${id}`,
      ),
    ).toHaveLength(1);
  });

  test('a payment that never succeeded cannot be refunded; an unknown one is 404', async () => {
    await simulator(api.payment, { failureRate: 1 });
    const failed = await charge(api.payment, `k-${randomUUID()}`, chargeBody());
    expect(failed.status).toBe(503);
    const { rows } = await api.payment.pool.query<{ id: string }>(
      `SELECT id FROM payments WHERE status = 'FAILED' LIMIT 1`,
    );
    expect((await refund(rows[0]!.id, `r-${randomUUID()}`)).status).toBe(409);
    expect((await refund(randomUUID(), `r-${randomUUID()}`)).status).toBe(404);
  });
});
