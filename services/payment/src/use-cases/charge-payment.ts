import { withTransaction } from '@tourkit/kit';
import { PaymentDeclinedError } from '../clients/provider.js';
import { requestHash } from '../domain/request-hash.js';
import { claimPaymentKey, recordPaymentAttempt, type Payment } from '../store/payments.js';
import type { PaymentContext } from './context.js';

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

/**
 * Booking charges a traveller, once per Idempotency-Key. The key's row is locked for the whole
 * provider call, so concurrent retries wait and replay; the provider gets a key derived from ours,
 * so even a crash before our commit cannot charge twice. Only success is final: a failed attempt
 * is tried again by the next request with the same key (the booking worker's retries rely on that).
 */
export async function chargePayment(
  ctx: PaymentContext,
  key: string,
  input: ChargeInput,
): Promise<ChargeOutcome> {
  const hash = requestHash({ ...input });
  const outcome = await withTransaction(ctx.pool, async (tx): Promise<ChargeOutcome> => {
    const payment = await claimPaymentKey(tx, key, hash, input);
    if (payment.requestHash !== hash) return { kind: 'key-reused' };
    if (payment.status === 'SUCCEEDED') return { kind: 'succeeded', payment, replayed: true };
    try {
      const { providerRef } = await ctx.timed('charge', () =>
        ctx.provider.charge({
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
    ctx.paymentsTotal.inc({ status: outcome.replayed ? 'REPLAYED' : 'SUCCEEDED' });
  } else if (outcome.kind === 'declined' || outcome.kind === 'unavailable') {
    ctx.paymentsTotal.inc({
      status: outcome.kind === 'declined' ? 'DECLINED' : 'PROVIDER_UNAVAILABLE',
    });
    ctx.logger.warn(
      { paymentId: outcome.payment.id, bookingId: input.bookingId, reason: outcome.message },
      'charge failed',
    );
  }
  return outcome;
}
