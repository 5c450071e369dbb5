import { withTransaction } from '@tourkit/kit';
import { requestHash } from '../domain/request-hash.js';
import {
  claimRefundKey,
  findPayment,
  recordRefundAttempt,
  type Refund,
} from '../store/payments.js';
import type { PaymentContext } from './context.js';

export type RefundOutcome =
  | { kind: 'succeeded'; refund: Refund; replayed: boolean }
  | { kind: 'unavailable'; refund: Refund; message: string }
  | { kind: 'key-reused' | 'payment-not-found' | 'payment-not-refundable' }
  | { kind: 'exceeds-payment'; refundableCents: number };

/** Booking refunds a payment (all of it unless an amount is named), once per Idempotency-Key. */
export async function refundPayment(
  ctx: PaymentContext,
  paymentId: string,
  key: string,
  input: { amountCents?: number | undefined },
): Promise<RefundOutcome> {
  const outcome = await withTransaction(ctx.pool, async (tx): Promise<RefundOutcome> => {
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
      const { providerRef } = await ctx.timed('refund', () =>
        ctx.provider.refund({ idempotencyKey: `refund:${key}`, chargeRef, amountCents }),
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
    ctx.refundsTotal.inc({ status: outcome.replayed ? 'REPLAYED' : 'SUCCEEDED' });
  if (outcome.kind === 'unavailable') ctx.refundsTotal.inc({ status: 'PROVIDER_UNAVAILABLE' });
  return outcome;
}
