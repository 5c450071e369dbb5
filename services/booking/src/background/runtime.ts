import type { ConnectionOptions, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Pool, ServiceMetrics } from '@tourkit/kit';
import type { PaymentRetryPolicy } from '../domain/payment-retry.js';
import type { createBookingOutbox } from './outbox-relay.js';
import { expireReservations } from './expire-reservations.js';
import type { PaymentQueue, PaymentJobData } from './payment-queue.js';
import { startPaymentWorker, type ChargeBreaker, type PaymentJobDeps } from './payment-worker.js';
import type { SagaReconciler } from './reconcile-saga.js';
import { requeueStrandedPayments } from './requeue-stranded-payments.js';
import type { SagaStepContext } from '../use-cases/saga-step.js';

export interface BackgroundParts {
  pool: Pool;
  logger: Logger;
  metrics: ServiceMetrics;
  connection: ConnectionOptions;
  queuePrefix: string;
  payments: PaymentQueue;
  breaker: ChargeBreaker;
  outbox: ReturnType<typeof createBookingOutbox>;
  retry: PaymentRetryPolicy;
  workerConcurrency: number;
  /** What a saga step touches (the worker's state changes go through it). */
  saga: SagaStepContext;
  reconciler: SagaReconciler;
  /** How often the saga reconcilers run (and refresh the per-state gauges). */
  sagaIntervalMs: number;
  /** How long a payment job waits when the circuit is open (the breaker's reset). */
  circuitWaitMs: number;
  expirySweepIntervalMs: number;
  /** How often PENDING_PAYMENT bookings whose job was lost (Redis down at enqueue) are enqueued again. */
  requeueIntervalMs: number;
  now: () => Date;
  onBookingStatus: (status: string) => void;
  afterCharge?: PaymentJobDeps['afterCharge'];
}

/**
 * Booking's background runtime: the payment worker, the outbox relay (e-mails, seat releases,
 * refunds), the saga reconcilers (RESERVING_SEATS, PAYMENT_UNKNOWN), the expiry sweep of pay-later reservations and the re-enqueue of stranded payments.
 * createBookingApp builds it; main (server.ts) starts it; close stops everything it started.
 */
export function createBackground(parts: BackgroundParts) {
  const { pool, logger, now, onBookingStatus, outbox } = parts;
  let worker: Worker<PaymentJobData> | undefined;
  const timers: NodeJS.Timeout[] = [];

  const sweepExpired = () =>
    expireReservations({ pool, logger, now, onBookingStatus, wakeOutbox: () => outbox.wake() });
  const requeueStranded = (olderThanMs?: number) =>
    requeueStrandedPayments({ pool, logger, now, payments: parts.payments }, olderThanMs);

  function every(intervalMs: number, task: () => Promise<unknown>, name: string) {
    const timer = setInterval(() => {
      task().catch((error: unknown) => logger.error({ err: error }, `${name} failed`));
    }, intervalMs);
    timer.unref();
    timers.push(timer);
  }

  return {
    breaker: parts.breaker,
    queue: parts.payments.queue,
    outbox,
    enqueue: parts.payments.enqueue,
    sweepExpired,
    requeueStranded,
    reconciler: parts.reconciler,
    /** Starts the payment worker in this process (main does unless PAYMENT_WORKER=false; tests call it). */
    startWorker(): Worker<PaymentJobData> {
      worker ??= startPaymentWorker({
        saga: parts.saga,
        breaker: parts.breaker,
        retry: parts.retry,
        logger,
        circuitWaitMs: parts.circuitWaitMs,
        ...(parts.afterCharge ? { afterCharge: parts.afterCharge } : {}),
        connection: parts.connection,
        prefix: parts.queuePrefix,
        concurrency: parts.workerConcurrency,
      });
      return worker;
    },
    /** The outbox relay, the saga reconcilers, the expiry sweep and the stranded-payment re-enqueue. */
    start() {
      outbox.start();
      every(parts.sagaIntervalMs, () => parts.reconciler.runOnce(), 'saga reconciler');
      every(parts.expirySweepIntervalMs, sweepExpired, 'expiry sweep');
      every(parts.requeueIntervalMs, requeueStranded, 'stranded payment re-enqueue');
    },
    async close() {
      for (const timer of timers.splice(0)) clearInterval(timer);
      await outbox.stop();
      await worker?.close();
      await parts.payments.queue.close();
      parts.breaker.shutdown();
    },
  };
}

export type BookingBackground = ReturnType<typeof createBackground>;
