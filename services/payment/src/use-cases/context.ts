import type { Logger } from 'pino';
import type { Pool, ServiceMetrics } from '@tourkit/kit';
import type { PaymentProvider } from '../clients/provider.js';
import { pendingStats } from '../store/payments.js';

/** The time bounds of a charge or refund (README, "States"; config.ts names the variables). */
export interface PaymentTimings {
  /** A provider call without an answer by then has an unknown outcome (PROVIDER_TIMEOUT_MS). */
  providerTimeoutMs: number;
  /** An attempt is in flight this long after it was claimed (the timeout plus time to record). */
  inFlightMs: number;
  /** How long a request finding its key in flight waits before answering 202 (DUPLICATE_WAIT_MS). */
  duplicateWaitMs: number;
  /** How often such a request reads the row again while it waits. */
  pollIntervalMs: number;
}

/** Everything a payment use case (or the reconciler) may touch, built once by createPaymentApp. */
export interface PaymentContext {
  pool: Pool;
  provider: PaymentProvider;
  logger: Logger;
  now: () => Date;
  timings: PaymentTimings;
  paymentsTotal: ReturnType<ServiceMetrics['counter']>;
  refundsTotal: ReturnType<ServiceMetrics['counter']>;
  reconciliationsTotal: ReturnType<ServiceMetrics['counter']>;
  providerLatency: ReturnType<ServiceMetrics['histogram']>;
}

/** The context with its metrics registered on `metrics`. */
export function createPaymentContext(deps: {
  pool: Pool;
  provider: PaymentProvider;
  logger: Logger;
  metrics: ServiceMetrics;
  now: () => Date;
  timings: PaymentTimings;
}): PaymentContext {
  const { pool, metrics, now } = deps;
  registerPendingGauges(metrics, pool, now, deps.logger);
  return {
    pool,
    provider: deps.provider,
    logger: deps.logger,
    now,
    timings: deps.timings,
    paymentsTotal: metrics.counter<'status'>({
      name: 'payments_total',
      help: 'Charge requests by answer (SUCCEEDED, REPLAYED, DECLINED, PROVIDER_UNAVAILABLE, PENDING)',
      labelNames: ['status'],
    }),
    refundsTotal: metrics.counter<'status'>({
      name: 'refunds_total',
      help: 'Refund requests by answer (SUCCEEDED, REPLAYED, PROVIDER_UNAVAILABLE, PENDING, EXCEEDS_CAPTURE)',
      labelNames: ['status'],
    }),
    reconciliationsTotal: metrics.counter<'operation' | 'outcome'>({
      name: 'payment_reconciliations_total',
      help: 'PENDING charges and refunds the reconciler handled, by what they became (SUCCEEDED, DECLINED, FAILED, PENDING when still unknown, LOOKUP_FAILED when the provider could not be asked, ERROR when the database failed)',
      labelNames: ['operation', 'outcome'],
    }),
    providerLatency: metrics.histogram<'provider' | 'operation' | 'outcome'>({
      name: 'payment_provider_duration_seconds',
      help: 'Latency of payment provider calls',
      labelNames: ['provider', 'operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
  };
}

/**
 * PENDING count and oldest age per operation, read from the database at scrape time so every
 * replica reports the same truth (the alert on a stuck PENDING row needs no reconciler running).
 * A failed read keeps the last values rather than failing the whole scrape.
 */
function registerPendingGauges(
  metrics: ServiceMetrics,
  pool: Pool,
  now: () => Date,
  logger: Logger,
): void {
  let last: Promise<Awaited<ReturnType<typeof pendingStats>> | null> | undefined;
  // Both gauges are collected in one scrape: one query serves both.
  const read = () => {
    last ??= pendingStats(pool)
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'pending payment metrics not read');
        return null;
      })
      .finally(() => setImmediate(() => (last = undefined)));
    return last;
  };
  metrics.gauge<'operation'>({
    name: 'payment_pending_operations',
    help: 'Charges and refunds now PENDING (in flight, or outcome unknown until reconciled)',
    labelNames: ['operation'],
    async collect() {
      const stats = await read();
      for (const stat of stats ?? []) this.set({ operation: stat.operation }, stat.count);
    },
  });
  metrics.gauge<'operation'>({
    name: 'payment_pending_oldest_age_seconds',
    help: 'Age of the oldest PENDING charge or refund attempt (0 when there is none)',
    labelNames: ['operation'],
    async collect() {
      const stats = await read();
      for (const stat of stats ?? [])
        this.set(
          { operation: stat.operation },
          stat.oldestAttemptedAt
            ? Math.max(0, (now().getTime() - stat.oldestAttemptedAt.getTime()) / 1000)
            : 0,
        );
    },
  });
}
