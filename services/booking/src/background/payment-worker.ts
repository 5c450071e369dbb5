import { DelayedError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import type { Logger } from 'pino';
import {
  isCircuitOpenError,
  upstreamProblem,
  withTransaction,
  type CircuitBreaker,
} from '@tourkit/kit';
import type { ChargeResult } from '../clients/payment.js';
import type { Booking } from '../domain/booking.js';
import { refundRequest } from '../domain/outbox-messages.js';
import { isFinalAttempt, type PaymentRetryPolicy } from '../domain/payment-retry.js';
import { classifyChargeFailure, type SagaEvent } from '../domain/saga.js';
import { findBooking } from '../store/bookings.js';
import { addToOutbox } from '../store/outbox.js';
import { applySagaEvent, type SagaStepContext } from '../use-cases/saga-step.js';
import { PAYMENT_QUEUE, type PaymentJobData } from './payment-queue.js';

export type ChargeBreaker = CircuitBreaker<
  [Pick<Booking, 'id' | 'userId' | 'totalCents'>],
  ChargeResult
>;

export interface PaymentJobDeps {
  saga: SagaStepContext;
  breaker: ChargeBreaker;
  retry: PaymentRetryPolicy;
  logger: Logger;
  /** Test seam: runs between a successful charge and the booking update (a crash there is simulated by throwing). */
  afterCharge?: (bookingId: string) => void | Promise<void>;
}

export type PaymentJobOutcome =
  | 'confirmed'
  | 'retry'
  | 'payment-failed'
  | 'payment-unknown'
  | 'refund-requested'
  /** The breaker is open: the job waits for it; no attempt was made or counted. */
  | 'circuit-open'
  | 'skipped';

/** A provider-unavailable attempt that is not the last: the queue retries it after its backoff. */
export class RetryPaymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryPaymentError';
  }
}

/**
 * One attempt to pay a booking (README, "The booking saga"): charge through the circuit breaker
 * with the Idempotency-Key booking:<id> (a re-run after a crash replays the charge, never repeats
 * it). 201 → CONFIRMED; 402 → PAYMENT_FAILED at once; 503 provider-unavailable → a counted attempt
 * (the last one → PAYMENT_FAILED); a timeout, network error, other 5xx or 202 PENDING →
 * PAYMENT_UNKNOWN, not counted, for the payment reconciler. With the circuit open nothing is tried.
 */
export async function processPaymentJob(
  deps: PaymentJobDeps,
  bookingId: string,
): Promise<PaymentJobOutcome> {
  const booking = await findBooking(deps.saga.pool, bookingId);
  if (!booking || booking.status !== 'PENDING_PAYMENT') return 'skipped';
  if (deps.breaker.opened) return 'circuit-open';
  let charge: ChargeResult;
  try {
    charge = await deps.breaker.fire(booking);
  } catch (error) {
    const failure = classifyChargeFailure({
      circuitOpen: isCircuitOpenError(error),
      problem: upstreamProblem(error),
    });
    const message = describe(error);
    switch (failure) {
      case 'circuit-open':
        return 'circuit-open';
      case 'unknown':
        await step(deps, bookingId, { type: 'charge-unknown' }, message);
        deps.logger.warn({ bookingId, error: message }, 'charge outcome unknown; reconciling');
        return 'payment-unknown';
      case 'declined':
        await step(deps, bookingId, { type: 'charge-declined' }, message);
        return 'payment-failed';
      case 'provider-unavailable': {
        const final = isFinalAttempt(booking.paymentAttempts, deps.retry);
        const result = await step(deps, bookingId, { type: 'charge-failed', final }, message);
        if (final) {
          if (result) deps.logger.error({ bookingId, error: message }, 'payment failed for good');
          return 'payment-failed';
        }
        deps.logger.warn(
          { bookingId, attempt: booking.paymentAttempts + 1, error: message },
          'payment attempt failed; will retry',
        );
        throw new RetryPaymentError(message);
      }
    }
  }
  if (charge.status === 'PENDING') {
    await step(deps, bookingId, { type: 'charge-unknown' }, 'payment answered 202 PENDING');
    return 'payment-unknown';
  }
  await deps.afterCharge?.(bookingId);
  const confirmed = await applySagaEvent(
    deps.saga,
    bookingId,
    { type: 'charge-succeeded' },
    { paymentId: charge.paymentId },
  );
  if (confirmed.applied) return 'confirmed';
  return refundIfEnded(deps, bookingId, charge.paymentId);
}

/** Paid while it was being cancelled (or ended otherwise): the money goes back. */
async function refundIfEnded(
  deps: PaymentJobDeps,
  bookingId: string,
  paymentId: string,
): Promise<PaymentJobOutcome> {
  const refunded = await withTransaction(deps.saga.pool, async (tx) => {
    const current = await findBooking(tx, bookingId);
    if (!current || current.status === 'CONFIRMED') return false;
    await addToOutbox(tx, refundRequest(current, paymentId));
    return true;
  });
  if (!refunded) return 'skipped';
  deps.saga.payments.wakeOutbox();
  return 'refund-requested';
}

async function step(deps: PaymentJobDeps, bookingId: string, event: SagaEvent, error: string) {
  const result = await applySagaEvent(deps.saga, bookingId, event, { error });
  return result.applied ? result.booking : null;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

export interface PaymentWorkerOptions extends PaymentJobDeps {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  /** How long a job waits when the circuit is open (the breaker's reset timeout). */
  circuitWaitMs: number;
}

/** The BullMQ worker that pays queued bookings (runs inside the booking process). */
export function startPaymentWorker(options: PaymentWorkerOptions): Worker<PaymentJobData> {
  const worker = new Worker<PaymentJobData>(
    PAYMENT_QUEUE,
    async (job: Job<PaymentJobData>, token?: string) => {
      const outcome = await processPaymentJob(options, job.data.bookingId);
      if (outcome === 'circuit-open') {
        // Wait for the breaker instead of burning an attempt: a delayed job keeps attemptsMade.
        await job.moveToDelayed(Date.now() + options.circuitWaitMs, token);
        throw new DelayedError();
      }
      return outcome;
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      // Each job runs in a span whose parent is the enqueuing request's (createPaymentQueue).
      telemetry: new BullMQOtel({ tracerName: 'booking' }),
    },
  );
  worker.on('error', (error) => options.logger.error({ err: error }, 'payment worker error'));
  return worker;
}
