import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { requestHash } from '../../src/domain/request-hash.js';
import { insertPendingPayment, insertPendingRefund } from '../../src/store/payments.js';
import { startHarness, type Harness } from '../support/harness.js';

/** Just past RECONCILE_AFTER_MS (default 30 s): the reconciler takes rows claimed strictly before it. */
const PAST_RECONCILE_BOUND_MS = 30_001;
let h: Harness;

beforeAll(async () => {
  h = await startHarness('payment_reconciler');
});

afterAll(async () => {
  await h?.payment.dispose();
});

afterEach(async () => {
  await h.calm();
});

/**
 * What a charge leaves when its process dies between claiming the attempt and calling the
 * provider: a PENDING row the provider never saw (the first half of chargePayment, on its own).
 */
async function claimedThenCrashed() {
  const body = { ...h.chargeBody(), currency: 'EUR' as const };
  const key = `booking:${body.bookingId}`;
  const payment = await insertPendingPayment(
    h.payment.pool,
    key,
    requestHash({ ...body }),
    body,
    h.payment.ctx.now(),
  );
  return { body, key, payment: payment! };
}

const statusOf = async (id: string) => (await h.get(id)).body.status as string;

describe('reconciler', () => {
  test('a charge the provider never saw is attempted again with the same key: SUCCEEDED once', async () => {
    const { body, key, payment } = await claimedThenCrashed();
    await h.payment.reconciler.reconcileOnce();
    expect(await statusOf(payment.id)).toBe('PENDING'); // within its bound: maybe in flight

    h.advance(PAST_RECONCILE_BOUND_MS);
    await h.payment.reconciler.reconcileOnce();
    const settled = (await h.get(payment.id)).body;
    expect(settled).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    expect(await h.chargesAtProvider(key)).toEqual([
      { idempotencyKey: `charge:${key}`, amountCents: body.amountCents },
    ]);
    // Booking asking afterwards gets the settled charge.
    const replay = await h.charge(key, body);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(payment.id);
  });

  test('the re-try is declined: DECLINED, final', async () => {
    const { body, key, payment } = await claimedThenCrashed();
    await h.simulator({ declineRate: 1 });
    h.advance(PAST_RECONCILE_BOUND_MS);
    await h.payment.reconciler.reconcileOnce();
    expect(await statusOf(payment.id)).toBe('DECLINED');
    await h.simulator({ declineRate: 0 });
    expect((await h.charge(key, body)).status).toBe(402);
    expect(await h.chargesAtProvider(key)).toEqual([]);
  });

  test('while the provider cannot be asked the row stays PENDING; afterwards it settles', async () => {
    const { key, payment } = await claimedThenCrashed();
    await h.simulator({ outage: true });
    h.advance(PAST_RECONCILE_BOUND_MS);
    const during = await h.payment.reconciler.reconcileOnce();
    expect(during.charges.LOOKUP_FAILED).toBeGreaterThanOrEqual(1);
    expect(await statusOf(payment.id)).toBe('PENDING');

    await h.simulator({ outage: false });
    await h.payment.reconciler.reconcileOnce();
    expect(await statusOf(payment.id)).toBe('SUCCEEDED');
    expect(await h.chargesAtProvider(key)).toHaveLength(1);
  });

  test('a re-try whose answer is lost again stays PENDING with a fresh bound, and is found next time', async () => {
    const { key, payment } = await claimedThenCrashed();
    await h.simulator({ loseResponseRate: 1 });
    h.advance(PAST_RECONCILE_BOUND_MS);
    const first = await h.payment.reconciler.reconcileOnce();
    expect(first.charges.PENDING).toBeGreaterThanOrEqual(1);
    expect((await h.get(payment.id)).body).toMatchObject({ status: 'PENDING', attempts: 2 });

    await h.payment.reconciler.reconcileOnce(); // its new attempt is not past the bound yet
    expect((await h.get(payment.id)).body).toMatchObject({ status: 'PENDING', attempts: 2 });
    h.advance(PAST_RECONCILE_BOUND_MS);
    await h.payment.reconciler.reconcileOnce();
    expect((await h.get(payment.id)).body).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    expect(await h.chargesAtProvider(key)).toHaveLength(1);
  });

  test('two replicas reconciling at once call the provider once per row', async () => {
    const crashed = await Promise.all([1, 2, 3].map(() => claimedThenCrashed()));
    const { createReconciler } = await import('../../src/background/reconciler.js');
    const other = createReconciler(h.payment.ctx, {
      afterMs: 30_000,
      intervalMs: 60_000,
    });
    await h.simulator({ latencyMs: 100 });
    h.advance(PAST_RECONCILE_BOUND_MS);
    await Promise.all([h.payment.reconciler.reconcileOnce(), other.reconcileOnce()]);
    for (const { key, payment } of crashed) {
      expect((await h.get(payment.id)).body).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
      expect(await h.chargesAtProvider(key)).toHaveLength(1);
    }
    await other.close();
  });

  test('a refund the provider never saw is attempted again; SUCCEEDED once', async () => {
    const body = h.chargeBody(1_200);
    const charged = await h.charge(`booking:${body.bookingId}`, body);
    const key = `booking:${body.bookingId}:refund`;
    const refund = await insertPendingRefund(
      h.payment.pool,
      key,
      requestHash({ paymentId: charged.body.id, amountCents: null }),
      { paymentId: charged.body.id, amountCents: 1_200 },
      h.payment.ctx.now(),
    );
    h.advance(PAST_RECONCILE_BOUND_MS);
    await h.payment.reconciler.reconcileOnce();
    expect((await h.get(charged.body.id)).body.refundedCents).toBe(1_200);
    expect(await h.refundsAtProvider(key)).toEqual([
      { idempotencyKey: `refund:${key}`, amountCents: 1_200 },
    ]);
    const replay = await h.refund(charged.body.id, key);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(refund.id);
  });

  test('a re-tried refund the provider does not carry out stays PENDING, its amount held, until it does', async () => {
    const body = h.chargeBody(1_200);
    const charged = await h.charge(`booking:${body.bookingId}`, body);
    const key = `booking:${body.bookingId}:refund`;
    await insertPendingRefund(
      h.payment.pool,
      key,
      requestHash({ paymentId: charged.body.id, amountCents: null }),
      { paymentId: charged.body.id, amountCents: 1_200 },
      h.payment.ctx.now(),
    );
    await h.simulator({ failureRate: 1 });
    h.advance(PAST_RECONCILE_BOUND_MS);
    const down = await h.payment.reconciler.reconcileOnce();
    expect(down.refunds.PENDING).toBeGreaterThanOrEqual(1);
    expect((await h.refund(charged.body.id, `other-${randomUUID()}`)).status).toBe(409);

    await h.simulator({ failureRate: 0 });
    h.advance(PAST_RECONCILE_BOUND_MS);
    await h.payment.reconciler.reconcileOnce();
    expect((await h.get(charged.body.id)).body.refundedCents).toBe(1_200);
    expect(await h.refundsAtProvider(key)).toHaveLength(1);
  });

  test('/metrics: PENDING count and age per operation, reconciliations by outcome', async () => {
    await h.payment.reconciler.reconcileOnce(); // settle what earlier tests left
    const { payment } = await claimedThenCrashed();
    h.advance(90_000);
    const text = (await request(h.payment.app).get('/metrics')).text;
    expect(text).toMatch(/payment_pending_operations\{operation="charge"\} 1\n/);
    const age = Number(
      /payment_pending_oldest_age_seconds\{operation="charge"\} ([\d.]+)/.exec(text)![1],
    );
    expect(age).toBeGreaterThanOrEqual(90);
    expect(text).toMatch(/payment_pending_operations\{operation="refund"\} 0\n/);
    const succeeded = (metrics: string) =>
      Number(
        /payment_reconciliations_total\{operation="charge",outcome="SUCCEEDED"\} (\d+)/.exec(
          metrics,
        )?.[1] ?? 0,
      );

    await h.payment.reconciler.reconcileOnce();
    expect(await statusOf(payment.id)).toBe('SUCCEEDED');
    const after = (await request(h.payment.app).get('/metrics')).text;
    expect(after).toMatch(/payment_pending_operations\{operation="charge"\} 0\n/);
    expect(after).toMatch(/payment_pending_oldest_age_seconds\{operation="charge"\} 0\n/);
    expect(succeeded(after)).toBe(succeeded(text) + 1);
  });
});

test('a bad bound is refused at start-up, naming the variable', async () => {
  const { loadPaymentConfig } = await import('../../src/config.js');
  expect(() =>
    loadPaymentConfig({
      INTERNAL_TOKEN: randomUUID(),
      PROVIDER_TIMEOUT_MS: '10000',
      RECONCILE_AFTER_MS: '5000',
    }),
  ).toThrow(/RECONCILE_AFTER_MS: must be at least PROVIDER_TIMEOUT_MS/);
});
