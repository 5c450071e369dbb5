import { withTransaction } from '@tourkit/kit';
import type { Booking } from '../domain/booking.js';
import { bookingView } from '../domain/booking-view.js';
import {
  confirmationEmail,
  paymentFailedAlert,
  paymentLinkEmail,
  refundRequest,
  seatRelease,
} from '../domain/outbox-messages.js';
import { decide, type SagaDecision, type SagaEffect, type SagaEvent } from '../domain/saga.js';
import { findBooking, updateBookingState, type StatePatch } from '../store/bookings.js';
import { storeResponseOfBooking } from '../store/idempotency.js';
import { addToOutbox } from '../store/outbox.js';
import { releasePromo } from '../store/promos.js';
import type { Queryable } from '../store/queryable.js';
import type { BookingContext } from './context.js';
import { issuePaymentLink } from './issue-payment-link.js';

export type SagaStepContext = Pick<
  BookingContext,
  'pool' | 'now' | 'logger' | 'onBookingStatus' | 'payments' | 'paymentLinkSecret'
>;

export interface StepDetails {
  /** The charge that succeeded (charge-succeeded, payment-found SUCCEEDED). */
  paymentId?: string;
  /** The last payment error, kept on the booking and named in a support alert. */
  error?: string;
  /** The support alert's reason, when not the default "failed after n retries". */
  alertReason?: string;
  /** The stored Idempotency-Key response for a refusal (a problem body); otherwise the booking's view with 201. */
  createResponse?: { status: number; body: unknown };
  /** Runs in the step's transaction after the update (e.g. the staff audit row). */
  alsoInTransaction?: (tx: Queryable, before: Booking, after: Booking) => Promise<void>;
}

export type StepResult =
  | { applied: true; before: Booking; booking: Booking; decision: SagaDecision & { ok: true } }
  | { applied: false; booking: Booking | null; refusal: string };

const OUTBOX_EFFECTS: readonly SagaEffect[] = [
  'release-seats',
  'release-seats-if-reserved',
  'send-confirmation',
  'send-payment-link',
  'alert-support',
  'refund-payment',
  'refund-if-captured',
];

/**
 * One step of the saga: in one transaction, lock the booking, let the pure `decide` pick the next
 * state, write it with its outbox messages; after the commit, enqueue and wake the outbox. A step
 * whose event no longer fits (another step moved the booking on first) changes nothing.
 */
export async function applySagaEvent(
  ctx: SagaStepContext,
  bookingId: string,
  event: SagaEvent,
  details: StepDetails = {},
): Promise<StepResult> {
  const result = await withTransaction(ctx.pool, async (tx): Promise<StepResult> => {
    const before = await findBooking(tx, bookingId, { forUpdate: true });
    if (!before)
      return { applied: false, booking: null, refusal: `booking ${bookingId} not found` };
    return applySagaEventInTransaction(tx, ctx, before, event, details);
  });
  await afterSagaStep(ctx, result);
  return result;
}

/**
 * The transactional half of a step, for a use case that moves several bookings in one transaction
 * (a cancelled tour): `before` must be locked by the caller (FOR UPDATE). Call `afterSagaStep`
 * with the result once the transaction has committed.
 */
export async function applySagaEventInTransaction(
  tx: Queryable,
  ctx: SagaStepContext,
  before: Booking,
  event: SagaEvent,
  details: StepDetails = {},
): Promise<StepResult> {
  const decision = decide(before.status, event);
  if (!decision.ok) return { applied: false, booking: before, refusal: decision.refusal };
  const now = ctx.now();
  const after = await updateBookingState(
    tx,
    before.id,
    before.status,
    decision.to,
    patchFor(decision, details, before, now, ctx.payments.reservationTtlMs),
    now,
  );
  if (!after) throw new Error(`booking ${before.id} changed under its row lock`);
  for (const effect of decision.effects) await record(tx, effect, before, after, details, ctx);
  await details.alsoInTransaction?.(tx, before, after);
  return { applied: true, before, booking: after, decision };
}

/** What a committed step does next: metrics, the outbox woken, the payment (re)queued. */
export async function afterSagaStep(ctx: SagaStepContext, result: StepResult): Promise<void> {
  if (!result.applied) return;
  const { before, booking, decision } = result;
  if (booking.status !== before.status) ctx.onBookingStatus?.(booking.status);
  if (decision.effects.some((effect) => OUTBOX_EFFECTS.includes(effect))) ctx.payments.wakeOutbox();
  if (decision.effects.includes('enqueue-payment')) {
    try {
      await ctx.payments.enqueue(booking.id);
    } catch (error) {
      // The booking is PENDING_PAYMENT in the database: the re-enqueue loop finds it.
      ctx.logger.warn(
        { err: error, bookingId: booking.id },
        'could not enqueue the payment; the re-enqueue loop will',
      );
    }
  }
}

function patchFor(
  decision: SagaDecision & { ok: true },
  details: StepDetails,
  before: Booking,
  now: Date,
  reservationTtlMs: number,
): StatePatch {
  const patch: StatePatch = {};
  const { effects, to } = decision;
  if (details.paymentId !== undefined) patch.paymentId = details.paymentId;
  if (effects.includes('count-attempt')) patch.paymentAttempts = 'count';
  if (effects.includes('reset-attempts')) patch.paymentAttempts = 'reset';
  if (details.error !== undefined) patch.lastPaymentError = details.error;
  if (to === 'CONFIRMED') patch.lastPaymentError = null;
  if (effects.includes('flag-manual-intervention')) patch.requiresManualIntervention = true;
  if (effects.includes('clear-manual-intervention')) patch.requiresManualIntervention = false;
  if (to === 'RESERVED_PENDING_PAYMENT' && before.status !== to)
    patch.expiresAt = new Date(now.getTime() + reservationTtlMs);
  if (before.status === 'RESERVED_PENDING_PAYMENT' && to !== before.status) patch.expiresAt = null;
  if (to === 'CANCELLED') patch.cancelledAt = now;
  return patch;
}

async function record(
  tx: Queryable,
  effect: SagaEffect,
  before: Booking,
  after: Booking,
  details: StepDetails,
  ctx: SagaStepContext,
): Promise<void> {
  switch (effect) {
    case 'give-back-promo':
      return releasePromo(tx, after.id);
    case 'release-seats':
      return addToOutbox(tx, seatRelease(after));
    case 'release-seats-if-reserved':
      return addToOutbox(tx, seatRelease(after, { ifReserved: true }));
    case 'send-confirmation':
      return addToOutbox(tx, confirmationEmail(after));
    case 'send-payment-link':
      return addToOutbox(tx, paymentLinkEmail(after, await issuePaymentLink(ctx, tx, after)));
    case 'alert-support':
      return addToOutbox(
        tx,
        paymentFailedAlert(
          after,
          ctx.payments.supportEmail,
          details.error ?? after.lastPaymentError ?? 'unknown',
          details.alertReason,
        ),
      );
    case 'refund-payment':
      return before.paymentId ? addToOutbox(tx, refundRequest(after, before.paymentId)) : undefined;
    case 'refund-if-captured':
      // Looked up by the relay: even a known payment id may still be PENDING at payment.
      return addToOutbox(tx, refundRequest(after, null));
    case 'store-create-response': {
      const response = details.createResponse ?? { status: 201, body: bookingView(after) };
      return storeResponseOfBooking(tx, after.id, response.status, response.body);
    }
    case 'enqueue-payment':
    case 'count-attempt':
    case 'reset-attempts':
    case 'flag-manual-intervention':
    case 'clear-manual-intervention':
      return; // columns (patchFor) or after the commit
  }
}
