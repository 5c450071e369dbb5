import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { withTransaction, type CircuitBreaker, type Pool } from '@tourkit/kit';
import type { Booking } from '../domain/booking.js';
import { confirmationEmail, paymentFailedAlert, refundRequest } from '../domain/outbox-messages.js';
import { isFinalAttempt, type PaymentRetryPolicy } from '../domain/payment-retry.js';
import {
  findBooking,
  markConfirmed,
  markPaymentFailed,
  recordPaymentAttempt,
  recordPaymentError,
} from '../store/bookings.js';
import { addToOutbox } from '../store/outbox.js';
import { PAYMENT_QUEUE, type PaymentJobData } from './payment-queue.js';

export type ChargeBreaker = CircuitBreaker<
  [Pick<Booking, 'id' | 'userId' | 'totalCents'>],
  { paymentId: string }
>;

export interface PaymentJobDeps {
  pool: Pool;
  breaker: ChargeBreaker;
  retry: PaymentRetryPolicy;
  supportEmail: string;
  logger: Logger;
  now: () => Date;
  onBookingStatus?: (status: string) => void;
  /** Called after the outbox got new messages, so they go out now rather than at the next tick. */
  onOutbox?: () => void;
  /** Test seam: runs between a successful charge and the booking update (a crash there is simulated by throwing). */
  afterCharge?: (bookingId: string) => void | Promise<void>;
}

export type PaymentJobOutcome = 'confirmed' | 'payment-failed' | 'refund-requested' | 'skipped';

/**
 * One attempt to pay a booking (README, "Payment"): charge through the circuit breaker with
 * the Idempotency-Key booking:<id> (a re-run after a crash replays the charge, never repeats it);
 * success → CONFIRMED + confirmation e-mail; failure → throw so the queue retries, except on the
 * last attempt → PAYMENT_FAILED, manual intervention, support alert.
 */
export async function processPaymentJob(
  deps: PaymentJobDeps,
  bookingId: string,
  attemptsMade: number,
): Promise<PaymentJobOutcome> {
  const booking = await recordPaymentAttempt(deps.pool, bookingId);
  if (!booking) return 'skipped'; // confirmed, cancelled, expired, or gone: nothing to pay
  let paymentId: string;
  try {
    ({ paymentId } = await deps.breaker.fire(booking));
  } catch (error) {
    const message = describe(error);
    if (!isFinalAttempt(attemptsMade, deps.retry)) {
      await recordPaymentError(deps.pool, bookingId, message);
      deps.logger.warn(
        { bookingId, attempt: attemptsMade + 1, error: message },
        'payment attempt failed; will retry',
      );
      throw error;
    }
    const failed = await withTransaction(deps.pool, async (tx) => {
      const updated = await markPaymentFailed(tx, bookingId, message, deps.now());
      if (updated) await addToOutbox(tx, paymentFailedAlert(updated, deps.supportEmail, message));
      return updated;
    });
    if (!failed) return 'skipped';
    deps.logger.error(
      { bookingId, attempts: failed.paymentAttempts, error: message },
      'payment failed for good; support alerted',
    );
    deps.onBookingStatus?.('PAYMENT_FAILED');
    deps.onOutbox?.();
    return 'payment-failed';
  }
  await deps.afterCharge?.(bookingId);
  const outcome = await withTransaction(deps.pool, async (tx): Promise<PaymentJobOutcome> => {
    const confirmed = await markConfirmed(tx, bookingId, paymentId, deps.now());
    if (confirmed) {
      await addToOutbox(tx, confirmationEmail(confirmed));
      return 'confirmed';
    }
    // Paid while it was being cancelled: the money goes back.
    const current = await findBooking(tx, bookingId);
    if (current && current.status !== 'CONFIRMED') {
      await addToOutbox(tx, refundRequest(current, paymentId));
      return 'refund-requested';
    }
    return 'skipped';
  });
  if (outcome === 'confirmed') deps.onBookingStatus?.('CONFIRMED');
  if (outcome !== 'skipped') deps.onOutbox?.();
  return outcome;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

export interface PaymentWorkerOptions extends PaymentJobDeps {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
}

/** The BullMQ worker that pays queued bookings (runs inside the booking process). */
export function startPaymentWorker(options: PaymentWorkerOptions): Worker<PaymentJobData> {
  const worker = new Worker<PaymentJobData>(
    PAYMENT_QUEUE,
    (job: Job<PaymentJobData>) => processPaymentJob(options, job.data.bookingId, job.attemptsMade),
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency },
  );
  worker.on('error', (error) => options.logger.error({ err: error }, 'payment worker error'));
  return worker;
}
