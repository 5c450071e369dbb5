import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { PAYMENT_INTERNAL_TOKEN, startPaymentApp } from '../../src/testing.js';

// The API as booking calls it, on a payment app with default settings (no harness knobs).

export type PaymentApi = Awaited<ReturnType<typeof startPaymentApp>>;
export const internal = { 'x-internal-token': PAYMENT_INTERNAL_TOKEN };

/**
 * A payment app on its own test database for the tests of the calling file or describe: started
 * before them, disposed after, its simulator calm again after each; `api.payment` is set by then.
 */
export function paymentApiFor(dbName: string): { payment: PaymentApi } {
  const file = {} as { payment: PaymentApi };
  beforeAll(async () => {
    file.payment = await startPaymentApp(dbName);
  });
  afterAll(async () => {
    await file.payment?.dispose();
  });
  afterEach(async () => {
    await simulator(file.payment, {
      failureRate: 0,
      declineRate: 0,
      latencyMs: 0,
      outage: false,
      loseResponseRate: 0,
    });
  });
  return file;
}

export const chargeBody = () => ({
  bookingId: randomUUID(),
  userId: randomUUID(),
  amountCents: 12_000,
  currency: 'EUR',
});
export const charge = (payment: PaymentApi, key: string, body: object) =>
  request(payment.app)
    .post('/internal/payments')
    .set(internal)
    .set('Idempotency-Key', key)
    .send(body);
export const simulator = (payment: PaymentApi, settings: object) =>
  request(payment.app).put('/internal/simulator').set(internal).send(settings);
/** How often the provider carried out a charge under the caller's key. */
export const chargesAtProvider = async (payment: PaymentApi, key: string) =>
  (await payment.simulator.operations('charge')).filter(
    (op) => op.idempotencyKey === `charge:${key}`,
  ).length;
