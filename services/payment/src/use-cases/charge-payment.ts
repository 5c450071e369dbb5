import { withTransaction } from '@tourkit/kit';
import { chargeSettlement, claimDecision, type AttemptResult } from '../domain/operations.js';
import { requestHash } from '../domain/request-hash.js';
import {
  claimPaymentAttempt,
  findPaymentByKey,
  insertPendingPayment,
  settlePayment,
  type Payment,
} from '../store/payments.js';
import { callProvider } from './call-provider.js';
import { providerChargeKey } from '../domain/provider-keys.js';
import type { PaymentContext } from './context.js';
import { waitForSettlement } from './wait-for-settlement.js';

export interface ChargeInput {
  bookingId: string;
  userId: string;
  amountCents: number;
  currency: 'EUR';
}

export type ChargeOutcome =
  | { kind: 'succeeded'; payment: Payment; replayed: boolean }
  | { kind: 'declined' | 'unavailable'; payment: Payment; message: string; replayed: boolean }
  /** In flight elsewhere past our wait, or the outcome is unknown: the reconciler settles it. */
  | { kind: 'pending'; payment: Payment }
  | { kind: 'key-reused' };

/**
 * Booking charges a traveller, once per Idempotency-Key, and gets SUCCEEDED, DECLINED (final),
 * FAILED (the provider did not carry it out: ask again with the same key) or PENDING (unknown:
 * the reconciler settles it). No connection is held across the provider call: a short
 * transaction claims the attempt (the row PENDING, attempted_at), the provider is called with
 * the key outside any transaction, and a single guarded UPDATE records what it answered. A
 * request that finds the key in flight in another request polls the row for DUPLICATE_WAIT_MS
 * and never calls the provider itself.
 */
export async function chargePayment(
  ctx: PaymentContext,
  key: string,
  input: ChargeInput,
): Promise<ChargeOutcome> {
  const outcome = await charge(ctx, key, input);
  ctx.paymentsTotal.inc({ status: answerLabel(outcome) });
  if (outcome.kind === 'declined' || outcome.kind === 'unavailable')
    ctx.logger.warn(
      { paymentId: outcome.payment.id, bookingId: input.bookingId, reason: outcome.message },
      'charge not carried out',
    );
  if (outcome.kind === 'pending')
    ctx.logger.warn(
      { paymentId: outcome.payment.id, bookingId: input.bookingId },
      'charge outcome unknown: left PENDING for the reconciler',
    );
  return outcome;
}

async function charge(
  ctx: PaymentContext,
  key: string,
  input: ChargeInput,
): Promise<ChargeOutcome> {
  const hash = requestHash({ ...input });
  const claim = await withTransaction(ctx.pool, async (tx) => {
    const now = ctx.now();
    const inserted = await insertPendingPayment(tx, key, hash, input, now);
    if (inserted) return { decision: { kind: 'attempt' } as const, payment: inserted };
    const existing = (await findPaymentByKey(tx, key, { forUpdate: true }))!;
    const decision = claimDecision(existing, hash, now, ctx.timings.inFlightMs);
    if (decision.kind !== 'attempt') return { decision, payment: existing };
    const claimed = await claimPaymentAttempt(tx, existing.id, existing, now);
    return { decision, payment: claimed! };
  });
  const { decision, payment } = claim;
  switch (decision.kind) {
    case 'key-reused':
      return { kind: 'key-reused' };
    case 'replay':
      return answerOf(payment, true);
    case 'pending':
      return { kind: 'pending', payment };
    case 'wait':
      return answerOf(
        await waitForSettlement(
          ctx,
          decision.untilMs,
          async () => (await findPaymentByKey(ctx.pool, key))!,
        ),
        true,
      );
    case 'attempt': {
      const result = await callProvider(ctx, 'charge', () =>
        ctx.provider.charge({
          idempotencyKey: providerChargeKey(key),
          amountCents: input.amountCents,
          currency: input.currency,
        }),
      );
      return answerOf(await recordAttempt(ctx, payment, result), false);
    }
  }
}

/**
 * Records the attempt's result. An unknown result writes nothing (the row stays PENDING). A
 * failed write (the database gone after the provider answered) is an unknown outcome too: the
 * reconciler will learn the answer from the provider.
 */
async function recordAttempt(
  ctx: PaymentContext,
  payment: Payment,
  result: AttemptResult,
): Promise<Payment> {
  const settlement = chargeSettlement(result);
  if (settlement === null) return payment;
  try {
    const settled = await settlePayment(
      ctx.pool,
      payment.id,
      payment.attempts,
      settlement,
      ctx.now(),
    );
    // Null: the reconciler settled this attempt first; its record is the answer.
    return settled ?? (await findPaymentByKey(ctx.pool, payment.idempotencyKey)) ?? payment;
  } catch (error) {
    ctx.logger.error(
      { err: error, paymentId: payment.id },
      'charge outcome not recorded: left PENDING for the reconciler',
    );
    return payment;
  }
}

function answerOf(
  payment: Payment,
  replayed: boolean,
): Exclude<ChargeOutcome, { kind: 'key-reused' }> {
  switch (payment.status) {
    case 'SUCCEEDED':
      return { kind: 'succeeded', payment, replayed };
    case 'DECLINED':
      return { kind: 'declined', payment, message: payment.lastError ?? 'declined', replayed };
    case 'FAILED':
      return {
        kind: 'unavailable',
        payment,
        message: payment.lastError ?? 'provider unavailable',
        replayed,
      };
    case 'PENDING':
      return { kind: 'pending', payment };
  }
}

function answerLabel(outcome: ChargeOutcome): string {
  switch (outcome.kind) {
    case 'succeeded':
      return outcome.replayed ? 'REPLAYED' : 'SUCCEEDED';
    case 'declined':
      return 'DECLINED';
    case 'unavailable':
      return 'PROVIDER_UNAVAILABLE';
    case 'pending':
      return 'PENDING';
    case 'key-reused':
      return 'KEY_REUSED';
  }
}
