import type { Logger } from 'pino';
import type { Pool, ServiceMetrics } from '@tourkit/kit';
import { PaymentDeclinedError, type PaymentProvider } from '../clients/provider.js';

/** Everything a payment use case may touch, built once by createPaymentApp. */
export interface PaymentContext {
  pool: Pool;
  provider: PaymentProvider;
  logger: Logger;
  paymentsTotal: ReturnType<ServiceMetrics['counter']>;
  refundsTotal: ReturnType<ServiceMetrics['counter']>;
  /** Runs one provider call, timing it on payment_provider_duration_seconds. */
  timed<T>(operation: 'charge' | 'refund', call: () => Promise<T>): Promise<T>;
}

/** The context with its metrics registered on `metrics`. */
export function createPaymentContext(deps: {
  pool: Pool;
  provider: PaymentProvider;
  logger: Logger;
  metrics: ServiceMetrics;
}): PaymentContext {
  const { provider, metrics } = deps;
  const providerLatency = metrics.histogram<'provider' | 'operation' | 'outcome'>({
    name: 'payment_provider_duration_seconds',
    help: 'Latency of payment provider calls',
    labelNames: ['provider', 'operation', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  return {
    pool: deps.pool,
    provider,
    logger: deps.logger,
    paymentsTotal: metrics.counter<'status'>({
      name: 'payments_total',
      help: 'Charge requests by outcome (SUCCEEDED, REPLAYED, DECLINED, PROVIDER_UNAVAILABLE)',
      labelNames: ['status'],
    }),
    refundsTotal: metrics.counter<'status'>({
      name: 'refunds_total',
      help: 'Refund requests by outcome (SUCCEEDED, REPLAYED, PROVIDER_UNAVAILABLE)',
      labelNames: ['status'],
    }),
    async timed(operation, call) {
      const stop = providerLatency.startTimer({ provider: provider.name, operation });
      try {
        const result = await call();
        stop({ outcome: 'ok' });
        return result;
      } catch (error) {
        stop({ outcome: error instanceof PaymentDeclinedError ? 'declined' : 'error' });
        throw error;
      }
    },
  };
}
