import { createCircuitBreaker, isCircuitOpenError } from '../src/circuit-breaker.js';
import { createMetrics } from '../src/metrics.js';
import { errorToProblem } from '../src/problem-mapping.js';

describe('createCircuitBreaker', () => {
  it('opens after the failure threshold, rejects fast while open, and reports its state', async () => {
    const metrics = createMetrics('cb-test', { defaultMetrics: false });
    let calls = 0;
    const charge = async (amountCents: number) => {
      calls++;
      throw new Error(`provider down (${amountCents})`);
    };
    const breaker = createCircuitBreaker(charge, {
      name: 'payment-provider',
      volumeThreshold: 2,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 60_000,
      metrics,
    });
    try {
      await expect(breaker.fire(100)).rejects.toThrow('provider down (100)');
      await expect(breaker.fire(100)).rejects.toThrow('provider down');
      expect(breaker.opened).toBe(true);

      const rejected = await breaker.fire(100).catch((error: unknown) => error);
      expect(isCircuitOpenError(rejected)).toBe(true);
      expect(calls).toBe(2);
      expect(errorToProblem(rejected).status).toBe(503);

      const text = await metrics.registry.metrics();
      expect(text).toContain('circuit_state{circuit="payment-provider"} 2');
    } finally {
      breaker.shutdown();
    }
  });

  it('does not count errors the filter says are not failures', async () => {
    const breaker = createCircuitBreaker(
      async () => {
        throw Object.assign(new Error('card declined'), { status: 402 });
      },
      {
        name: 'declines',
        volumeThreshold: 1,
        isFailure: (error) => (error as { status?: number }).status !== 402,
      },
    );
    try {
      for (let i = 0; i < 3; i++) await expect(breaker.fire()).rejects.toThrow('card declined');
      expect(breaker.opened).toBe(false);
    } finally {
      breaker.shutdown();
    }
  });
});
