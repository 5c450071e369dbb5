import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { withTransaction, type Pool, type ServiceMetrics } from '@tourkit/kit';
import { PaymentDeclinedError, type PaymentProvider } from './provider/provider.js';
import {
  claimPaymentKey,
  claimRefundKey,
  findPayment,
  recordPaymentAttempt,
  recordRefundAttempt,
  type Payment,
  type Refund,
} from './repository/payments.js';

export interface ChargeInput {
  bookingId: string;
  userId: string;
  amountCents: number;
  currency: 'EUR';
}

export type ChargeOutcome =
  | { kind: 'succeeded'; payment: Payment; replayed: boolean }
  | { kind: 'declined' | 'unavailable'; payment: Payment; message: string }
  | { kind: 'key-reused' };

export type RefundOutcome =
  | { kind: 'succeeded'; refund: Refund; replayed: boolean }
  | { kind: 'unavailable'; refund: Refund; message: string }
  | { kind: 'key-reused' | 'payment-not-found' | 'payment-not-refundable' }
  | { kind: 'exceeds-payment'; refundableCents: number };

/** sha256 of a canonical JSON (sorted keys): the same key with another body is refused. */
export function requestHash(body: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.fromEntries(Object.entries(body).sort(([a], [b]) => a.localeCompare(b))),
  );
  return createHash('sha256').update(canonical).digest('hex');
}

export interface PaymentServiceDeps {
  pool: Pool;
  provider: PaymentProvider;
  metrics: ServiceMetrics;
  logger: Logger;
}

/**
 * Charges and refunds, once per Idempotency-Key. The key's row is locked for the whole provider
 * call, so concurrent retries wait and replay; the provider gets a key derived from ours, so even
 * a crash before our commit cannot charge twice. Only success is final: a failed attempt is tried
 * again by the next request with the same key (the booking worker's retries rely on that).
 */
export function createPaymentService(deps: PaymentServiceDeps) {
  const { pool, provider, logger } = deps;
  const paymentsTotal = deps.metrics.counter<'status'>({
    name: 'payments_total',
    help: 'Charge requests by outcome (SUCCEEDED, REPLAYED, DECLINED, PROVIDER_UNAVAILABLE)',
    labelNames: ['status'],
  });
  const refundsTotal = deps.metrics.counter<'status'>({
    name: 'refunds_total',
    help: 'Refund requests by outcome (SUCCEEDED, REPLAYED, PROVIDER_UNAVAILABLE)',
    labelNames: ['status'],
  });
  const providerLatency = deps.metrics.histogram<'provider' | 'operation' | 'outcome'>({
    name: 'payment_provider_duration_seconds',
    help: 'Latency of payment provider calls',
    labelNames: ['provider', 'operation', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });

  async function timed<T>(operation: 'charge' | 'refund', call: () => Promise<T>): Promise<T> {
    const stop = providerLatency.startTimer({ provider: provider.name, operation });
    try {
      const result = await call();
      stop({ outcome: 'ok' });
      return result;
    } catch (error) {
      stop({ outcome: error instanceof PaymentDeclinedError ? 'declined' : 'error' });
      throw error;
    }
  }

  return {
    async charge(key: string, input: ChargeInput): Promise<ChargeOutcome> {
      const hash = requestHash({ ...input });
      const outcome = await withTransaction(pool, async (tx): Promise<ChargeOutcome> => {
        const payment = await claimPaymentKey(tx, key, hash, input);
        if (payment.requestHash !== hash) return { kind: 'key-reused' };
        if (payment.status === 'SUCCEEDED') return { kind: 'succeeded', payment, replayed: true };
        try {
          const { providerRef } = await timed('charge', () =>
            provider.charge({
              idempotencyKey: `charge:${key}`,
              amountCents: input.amountCents,
              currency: input.currency,
            }),
          );
          return {
            kind: 'succeeded',
            payment: await recordPaymentAttempt(tx, payment.id, { providerRef }),
            replayed: false,
          };
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return {
            kind: error instanceof PaymentDeclinedError ? 'declined' : 'unavailable',
            payment: await recordPaymentAttempt(tx, payment.id, { error: message }),
            message,
          };
        }
      });
      if (outcome.kind === 'succeeded') {
        paymentsTotal.inc({ status: outcome.replayed ? 'REPLAYED' : 'SUCCEEDED' });
      } else if (outcome.kind === 'declined' || outcome.kind === 'unavailable') {
        paymentsTotal.inc({
          status: outcome.kind === 'declined' ? 'DECLINED' : 'PROVIDER_UNAVAILABLE',
        });
        logger.warn(
          { paymentId: outcome.payment.id, bookingId: input.bookingId, reason: outcome.message },
          'charge failed',
        );
      }
      return outcome;
    },

    async refund(
      paymentId: string,
      key: string,
      input: { amountCents?: number | undefined },
    ): Promise<RefundOutcome> {
      const outcome = await withTransaction(pool, async (tx): Promise<RefundOutcome> => {
        // Locking the payment serialises its refunds, so together they never exceed it.
        const payment = await findPayment(tx, paymentId, { forUpdate: true });
        if (!payment) return { kind: 'payment-not-found' };
        if (payment.status !== 'SUCCEEDED' || !payment.providerRef)
          return { kind: 'payment-not-refundable' };
        const amountCents = input.amountCents ?? payment.amountCents;
        const hash = requestHash({ paymentId, amountCents });
        const refund = await claimRefundKey(tx, key, hash, { paymentId, amountCents });
        if (refund.requestHash !== hash) return { kind: 'key-reused' };
        if (refund.status === 'SUCCEEDED') return { kind: 'succeeded', refund, replayed: true };
        const refundableCents = payment.amountCents - payment.refundedCents;
        if (amountCents > refundableCents) return { kind: 'exceeds-payment', refundableCents };
        const chargeRef = payment.providerRef;
        try {
          const { providerRef } = await timed('refund', () =>
            provider.refund({ idempotencyKey: `refund:${key}`, chargeRef, amountCents }),
          );
          return {
            kind: 'succeeded',
            refund: await recordRefundAttempt(tx, refund.id, { providerRef }),
            replayed: false,
          };
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return {
            kind: 'unavailable',
            refund: await recordRefundAttempt(tx, refund.id, { error: message }),
            message,
          };
        }
      });
      if (outcome.kind === 'succeeded')
        refundsTotal.inc({ status: outcome.replayed ? 'REPLAYED' : 'SUCCEEDED' });
      if (outcome.kind === 'unavailable') refundsTotal.inc({ status: 'PROVIDER_UNAVAILABLE' });
      return outcome;
    },
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;
