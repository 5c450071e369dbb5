/**
 * The rules of a charge or a refund as a state machine (README, "States"): what a request does
 * with the row its Idempotency-Key names, what an attempt at the provider leaves behind, how much
 * can still be refunded, and what the reconciler does with an unknown outcome. Pure: the clock
 * and the rows come in as arguments.
 */

/** PENDING: an attempt is in flight, or its outcome is unknown. DECLINED is final, FAILED is not. */
export type PaymentStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'DECLINED';
export type RefundStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

/** What one provider call came to. */
export type AttemptResult =
  | { kind: 'carried-out'; providerRef: string }
  /** The provider answered and refused (a charge only). */
  | { kind: 'declined'; message: string }
  /** The provider answered that it did not carry it out: safe to try again with the same key. */
  | { kind: 'not-carried-out'; message: string }
  /** No answer (timeout, lost response, crash): the provider may or may not have carried it out. */
  | { kind: 'unknown'; message: string };

/** What an attempt leaves on its row: SUCCEEDED with the provider's reference, or why not. */
export type Settlement =
  { status: 'SUCCEEDED'; providerRef: string } | { status: 'FAILED' | 'DECLINED'; error: string };

/** What a charge attempt leaves, or null when the row must stay PENDING (outcome unknown). */
export function chargeSettlement(result: AttemptResult): Settlement | null {
  switch (result.kind) {
    case 'carried-out':
      return { status: 'SUCCEEDED', providerRef: result.providerRef };
    case 'declined':
      return { status: 'DECLINED', error: result.message };
    case 'not-carried-out':
      return { status: 'FAILED', error: result.message };
    case 'unknown':
      return null;
  }
}

/**
 * What a refund attempt leaves, or null (unknown: stays PENDING, its amount still held). A
 * refused refund gives its reservation back like any failed one: only a charge is DECLINED.
 */
export function refundSettlement(result: AttemptResult): Settlement | null {
  const settlement = chargeSettlement(result);
  return settlement?.status === 'DECLINED' ? { ...settlement, status: 'FAILED' } : settlement;
}

/**
 * What the reconciler's re-try of a refund leaves. Its caller was answered 202 ("the payment
 * service settles it"), so nobody asks again: a refund the provider did not carry out stays
 * PENDING, its amount still reserved, and is re-tried next round — money owed to a traveller is
 * never dropped because the provider was down. Only a refusal ends it FAILED.
 */
export function reconciledRefundSettlement(result: AttemptResult): Settlement | null {
  return result.kind === 'not-carried-out' ? null : refundSettlement(result);
}

/** The facts of an existing row that a request with its key needs. */
export interface OperationFacts {
  status: PaymentStatus;
  requestHash: string;
  attemptedAt: Date;
}

export type ClaimDecision =
  /** The key was used with another body. */
  | { kind: 'key-reused' }
  /** The row holds a final answer (SUCCEEDED, DECLINED): give it again. */
  | { kind: 'replay' }
  /** Another request's attempt is in flight: wait for it (briefly), never call the provider too. */
  | { kind: 'wait'; untilMs: number }
  /** The attempt's outcome is unknown: the reconciler settles it; answer PENDING. */
  | { kind: 'pending' }
  /** No row yet, or the last attempt FAILED: attempt (again) with the same provider key. */
  | { kind: 'attempt' };

/**
 * What a request does with its key's row. An attempt is in flight until `inFlightMs` after it was
 * claimed (the provider timeout plus the time to record the answer); after that nobody is waiting
 * for the provider's answer any more and only the reconciler can learn it.
 */
export function claimDecision(
  existing: OperationFacts | null,
  requestHash: string,
  now: Date,
  inFlightMs: number,
): ClaimDecision {
  if (!existing) return { kind: 'attempt' };
  if (existing.requestHash !== requestHash) return { kind: 'key-reused' };
  switch (existing.status) {
    case 'SUCCEEDED':
    case 'DECLINED':
      return { kind: 'replay' };
    case 'FAILED':
      return { kind: 'attempt' };
    case 'PENDING': {
      const untilMs = existing.attemptedAt.getTime() + inFlightMs;
      return untilMs > now.getTime() ? { kind: 'wait', untilMs } : { kind: 'pending' };
    }
  }
}

/**
 * PENDING rows claimed before this instant are the reconciler's: `reconcileAfterMs` exceeds the
 * in-flight window (config.ts checks), so no request is still waiting for their provider call.
 */
export function reconcileBefore(now: Date, reconcileAfterMs: number): Date {
  return new Date(now.getTime() - reconcileAfterMs);
}

export type RefundAmountDecision =
  | { kind: 'ok'; amountCents: number }
  | { kind: 'exceeds-capture'; amountCents: number; refundableCents: number };

/**
 * How much a refund takes from the capture. `reservedCents` counts every refund that is
 * SUCCEEDED or PENDING (in flight or unknown): a pending refund may yet be carried out, so its
 * amount is held until it settles. Without an amount, a refund takes what is left.
 */
export function refundAmount(
  captureCents: number,
  reservedCents: number,
  requestedCents: number | undefined,
): RefundAmountDecision {
  const refundableCents = Math.max(0, captureCents - reservedCents);
  const amountCents = requestedCents ?? refundableCents;
  if (amountCents < 1 || amountCents > refundableCents)
    return { kind: 'exceeds-capture', amountCents, refundableCents };
  return { kind: 'ok', amountCents };
}

export type ReconcileAction =
  /** The provider has the operation: record it as SUCCEEDED with the provider's reference. */
  | { kind: 'settle'; providerRef: string }
  /** The provider never saw the key: call it again with the same key. */
  | { kind: 'retry' };

/** What the reconciler does with an unknown outcome, from the provider's answer to a lookup by key. */
export function reconcileAction(found: { providerRef: string } | null): ReconcileAction {
  return found ? { kind: 'settle', providerRef: found.providerRef } : { kind: 'retry' };
}
