import { UpstreamError } from '@tourkit/kit';
import { isPaymentOutage } from '../../src/clients/payment.js';

const answer = (status: number, slug: string) =>
  new UpstreamError({
    service: 'payment',
    method: 'POST',
    url: 'http://payment/internal/payments',
    kind: 'status',
    status,
    problem: { type: `https://tourkit.dev/problems/${slug}`, status },
  });

// What counts against the circuit breaker around payment (src/background/payment-breaker.ts).
describe('isPaymentOutage', () => {
  test('a decline and a refused key are answers: they never open the circuit', () => {
    expect(isPaymentOutage(answer(402, 'payment-declined'))).toBe(false);
    expect(isPaymentOutage(answer(422, 'idempotency-key-reused'))).toBe(false);
  });

  test('the provider down, a timeout or a bare error count as an outage', () => {
    expect(isPaymentOutage(answer(503, 'provider-unavailable'))).toBe(true);
    const timeout = new UpstreamError({
      service: 'payment',
      method: 'POST',
      url: 'http://payment/internal/payments',
      kind: 'timeout',
    });
    expect(isPaymentOutage(timeout)).toBe(true);
    expect(isPaymentOutage(new Error('socket hang up'))).toBe(true);
  });
});
