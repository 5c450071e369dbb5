import { withTransaction } from '@tourkit/kit';
import {
  claimDecision,
  refundAmount,
  refundSettlement,
  type AttemptResult,
  type ClaimDecision,
} from '../domain/operations.js';
import { requestHash } from '../domain/request-hash.js';
import {
  claimRefundAttempt,
  findPayment,
  findRefund,
  findRefundByKeyForUpdate,
  insertPendingRefund,
  reservedRefundCents,
  settleRefund,
  type Refund,
} from '../store/payments.js';
import { callProvider } from './call-provider.js';
import { providerRefundKey } from '../domain/provider-keys.js';
import type { PaymentContext } from './context.js';
import { waitForSettlement } from './wait-for-settlement.js';

export type RefundOutcome =
  | { kind: 'succeeded'; refund: Refund; replayed: boolean }
  | { kind: 'unavailable'; refund: Refund; message: string; replayed: boolean }
  /** In flight elsewhere past our wait, or the outcome is unknown: the reconciler settles it. */
  | { kind: 'pending'; refund: Refund }
  | { kind: 'key-reused' | 'payment-not-found' | 'payment-not-refundable' }
  | { kind: 'exceeds-capture'; amountCents: number; refundableCents: number };

/**
 * Booking refunds a payment, once per Idempotency-Key: the amount named, or what is left of the
 * capture. The amount is reserved first, in a short transaction under the payment's row lock (a
 * PENDING refund counts against the capture like a SUCCEEDED one), so concurrent refunds never
 * exceed the capture; the provider is called outside any transaction; the outcome is recorded by
 * one guarded UPDATE. A FAILED refund gives its reservation back (the same key may try again);
 * an unknown one keeps it until the reconciler settles it.
 */
export async function refundPayment(
  ctx: PaymentContext,
  paymentId: string,
  key: string,
  input: { amountCents?: number | undefined },
): Promise<RefundOutcome> {
  const outcome = await refund(ctx, paymentId, key, input);
  ctx.refundsTotal.inc({ status: answerLabel(outcome) });
  if (outcome.kind === 'pending')
    ctx.logger.warn(
      { refundId: outcome.refund.id, paymentId },
      'refund outcome unknown: left PENDING for the reconciler',
    );
  return outcome;
}

type Claim =
  | { kind: 'refused'; outcome: RefundOutcome }
  | { kind: 'claimed'; decision: ClaimDecision; refund: Refund; chargeRef: string };

async function refund(
  ctx: PaymentContext,
  paymentId: string,
  key: string,
  input: { amountCents?: number | undefined },
): Promise<RefundOutcome> {
  // The request as sent: without an amount, "what is left" is resolved once, at the first attempt.
  const hash = requestHash({ paymentId, amountCents: input.amountCents ?? null });
  const claim = await withTransaction(ctx.pool, async (tx): Promise<Claim> => {
    // The payment's row lock serialises reservations against its capture (and nothing else).
    const payment = await findPayment(tx, paymentId, { forUpdate: true });
    if (!payment) return { kind: 'refused', outcome: { kind: 'payment-not-found' } };
    if (payment.status !== 'SUCCEEDED' || !payment.providerRef)
      return { kind: 'refused', outcome: { kind: 'payment-not-refundable' } };
    const chargeRef = payment.providerRef;
    const now = ctx.now();
    const existing = await findRefundByKeyForUpdate(tx, key);
    const decision = claimDecision(
      existing,
      existing && isLegacyMatch(existing, paymentId, input) ? existing.requestHash : hash,
      now,
      ctx.timings.inFlightMs,
    );
    if (decision.kind !== 'attempt')
      return { kind: 'claimed', decision, refund: existing!, chargeRef };
    const amount = refundAmount(
      payment.amountCents,
      await reservedRefundCents(tx, paymentId),
      existing?.amountCents ?? input.amountCents,
    );
    if (amount.kind === 'exceeds-capture') return { kind: 'refused', outcome: amount };
    const claimed = existing
      ? (await claimRefundAttempt(tx, existing.id, existing, now))!
      : await insertPendingRefund(
          tx,
          key,
          hash,
          { paymentId, amountCents: amount.amountCents },
          now,
        );
    return { kind: 'claimed', decision, refund: claimed, chargeRef };
  });
  if (claim.kind === 'refused') return claim.outcome;
  const { decision, refund: row, chargeRef } = claim;
  switch (decision.kind) {
    case 'key-reused':
      return { kind: 'key-reused' };
    case 'replay':
      return answerOf(row, true);
    case 'pending':
      return { kind: 'pending', refund: row };
    case 'wait':
      return answerOf(
        await waitForSettlement(
          ctx,
          decision.untilMs,
          async () => (await findRefund(ctx.pool, row.id))!,
        ),
        true,
      );
    case 'attempt': {
      const result = await callProvider(ctx, 'refund', () =>
        ctx.provider.refund({
          idempotencyKey: providerRefundKey(key),
          chargeRef,
          amountCents: row.amountCents,
        }),
      );
      return answerOf(await recordAttempt(ctx, row, result), false);
    }
  }
}

/**
 * Refunds recorded before migration 1765000000000_unknown-outcomes hashed the resolved amount
 * (the whole payment when none was given): booking's refund without an amount, sent again after
 * the upgrade, still replays them instead of being refused as a reused key.
 */
function isLegacyMatch(
  existing: Refund,
  paymentId: string,
  input: { amountCents?: number | undefined },
): boolean {
  return (
    input.amountCents === undefined &&
    existing.requestHash === requestHash({ paymentId, amountCents: existing.amountCents })
  );
}

/** Like charging's: unknown writes nothing; a failed write leaves the refund to the reconciler. */
async function recordAttempt(ctx: PaymentContext, row: Refund, result: AttemptResult) {
  const settlement = refundSettlement(result);
  if (settlement === null) return row;
  try {
    const settled = await settleRefund(ctx.pool, row.id, row.attempts, settlement, ctx.now());
    return settled ?? (await findRefund(ctx.pool, row.id)) ?? row;
  } catch (error) {
    ctx.logger.error(
      { err: error, refundId: row.id },
      'refund outcome not recorded: left PENDING for the reconciler',
    );
    return row;
  }
}

function answerOf(refund: Refund, replayed: boolean): RefundOutcome {
  switch (refund.status) {
    case 'SUCCEEDED':
      return { kind: 'succeeded', refund, replayed };
    case 'FAILED':
      return {
        kind: 'unavailable',
        refund,
        message: refund.lastError ?? 'provider unavailable',
        replayed,
      };
    case 'PENDING':
      return { kind: 'pending', refund };
  }
}

function answerLabel(outcome: RefundOutcome): string {
  switch (outcome.kind) {
    case 'succeeded':
      return outcome.replayed ? 'REPLAYED' : 'SUCCEEDED';
    case 'unavailable':
      return 'PROVIDER_UNAVAILABLE';
    case 'pending':
      return 'PENDING';
    case 'exceeds-capture':
      return 'EXCEEDS_CAPTURE';
    case 'key-reused':
      return 'KEY_REUSED';
    case 'payment-not-found':
      return 'PAYMENT_NOT_FOUND';
    case 'payment-not-refundable':
      return 'PAYMENT_NOT_REFUNDABLE';
  }
}
