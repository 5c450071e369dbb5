import { conflict, gone, HttpProblem, serviceUnavailable, withTransaction } from '@tourkit/kit';
import { paymentLinkView } from '../domain/payment-link.js';
import { consumePaymentLink } from '../store/payment-links.js';
import type { BookingContext } from './context.js';
import { openPaymentLink } from './open-payment-link.js';
import { afterSagaStep, applySagaEventInTransaction } from './saga-step.js';

function usedProblem() {
  const message = 'this payment link was already used; the booking is being paid or is paid';
  return new HttpProblem(409, 'payment-link-used', 'Payment link already used', {
    detail: message,
    errors: [{ field: 't', message }],
  });
}

/**
 * The traveller pays through the e-mailed link (no login: the token is the authority): the same
 * saga step as the signed-in pay (`payment-link-followed`: RESERVED_PENDING_PAYMENT →
 * PENDING_PAYMENT, onto the payment queue after the commit).
 * The link is spent in the transaction that moves the booking, so it pays once; while the
 * circuit is still open nothing is spent and the traveller may try again.
 */
export async function payByPaymentLink(ctx: BookingContext, bookingId: string, token: string) {
  const { step, link } = await withTransaction(ctx.pool, async (tx) => {
    const opened = await openPaymentLink(ctx, tx, bookingId, token, { forUpdate: true });
    const { booking, link } = opened;
    if (opened.check === 'used') throw usedProblem();
    if (booking.status === 'EXPIRED')
      throw gone(`this reservation expired at ${link.expiresAt.toISOString()}`);
    if (booking.status !== 'RESERVED_PENDING_PAYMENT')
      throw conflict(`a ${booking.status} booking cannot be paid`);
    if (!ctx.payments.acceptsPayments()) {
      throw serviceUnavailable(
        `Payment is temporarily unavailable; your reservation is kept until ${link.expiresAt.toISOString()}. Please try again in a few minutes.`,
      );
    }
    const now = ctx.now();
    if (!(await consumePaymentLink(tx, booking.id, now))) throw usedProblem();
    const step = await applySagaEventInTransaction(tx, ctx, booking, {
      type: 'payment-link-followed',
    });
    if (!step.applied) throw conflict(step.refusal);
    return { step, link: { ...link, usedAt: now } };
  });
  await afterSagaStep(ctx, step);
  return paymentLinkView(step.booking, link);
}
