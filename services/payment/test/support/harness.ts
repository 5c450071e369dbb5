import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { SimulatorSettingsPatch } from '../../src/domain/simulator-settings.js';
import { PAYMENT_INTERNAL_TOKEN, startPaymentApp } from '../../src/testing.js';

export type StartedPayment = Awaited<ReturnType<typeof startPaymentApp>>;

/**
 * The real payment service on its own test database, with a clock the test can move forward
 * (attempts are stamped with it and the reconciler's bound is measured with it), and helpers
 * that speak its HTTP API.
 */
export async function startHarness(name: string, env: Record<string, string> = {}) {
  let offsetMs = 0;
  const payment = await startPaymentApp(name, {
    env,
    now: () => new Date(Date.now() + offsetMs),
  });
  const internal = { 'x-internal-token': PAYMENT_INTERNAL_TOKEN };
  const operations = async (kind: 'charge' | 'refund', providerKey: string) =>
    (await payment.simulator.operations(kind)).filter((op) => op.idempotencyKey === providerKey);
  return {
    payment,
    /** Moves the service's clock forward (never the test's). */
    advance(ms: number) {
      offsetMs += ms;
    },
    simulator: (settings: SimulatorSettingsPatch) => payment.simulator.updateSettings(settings),
    calm: () =>
      payment.simulator.updateSettings({
        failureRate: 0,
        declineRate: 0,
        latencyMs: 0,
        outage: false,
        loseResponseRate: 0,
      }),
    chargeBody: (amountCents = 12_000) => ({
      bookingId: randomUUID(),
      userId: randomUUID(),
      amountCents,
      currency: 'EUR',
    }),
    charge: (key: string, body: object) =>
      request(payment.app)
        .post('/internal/payments')
        .set(internal)
        .set('Idempotency-Key', key)
        .send(body),
    refund: (paymentId: string, key: string, body: object = {}) =>
      request(payment.app)
        .post(`/internal/payments/${paymentId}/refunds`)
        .set(internal)
        .set('Idempotency-Key', key)
        .send(body),
    get: (paymentId: string) =>
      request(payment.app).get(`/internal/payments/${paymentId}`).set(internal),
    /** The booking's payment views. */
    list: async (bookingId: string): Promise<Array<Record<string, unknown>>> =>
      (await request(payment.app).get(`/internal/payments?bookingId=${bookingId}`).set(internal))
        .body.items,
    /** What the provider charged under an Idempotency-Key (the payment's provider key). */
    chargesAtProvider: (key: string) => operations('charge', `charge:${key}`),
    refundsAtProvider: (key: string) => operations('refund', `refund:${key}`),
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
