import type { Logger } from 'pino';
import {
  createCircuitBreaker,
  type HealthRegistry,
  type ServiceClient,
  type ServiceMetrics,
} from '@tourkit/kit';
import { isPaymentOutage, type PaymentGateway } from '../clients/payment.js';
import type { ChargeBreaker } from './payment-worker.js';

export interface BreakerSettings {
  timeoutMs: number;
  errorThresholdPercentage: number;
  resetTimeoutMs: number;
  volumeThreshold: number;
}

/**
 * The circuit breaker around charges, and payment's line in /health. Not critical: with payment
 * down, bookings are still taken (as pay-later reservations).
 */
export function createPaymentBreaker(
  gateway: PaymentGateway,
  client: ServiceClient,
  settings: BreakerSettings,
  observe: { metrics: ServiceMetrics; logger: Logger; health: HealthRegistry },
): ChargeBreaker {
  const breaker = createCircuitBreaker(gateway.charge, {
    name: 'payment',
    ...settings,
    isFailure: isPaymentOutage,
    metrics: observe.metrics,
    logger: observe.logger,
  });
  observe.health.register(
    'payment',
    async () => {
      if (breaker.opened) throw new Error('circuit open');
      await client.request('GET', '/readyz', { timeoutMs: 1_000 });
    },
    { critical: false },
  );
  return breaker;
}
