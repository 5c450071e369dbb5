import { Queue, type ConnectionOptions, type Worker } from 'bullmq';
import type { Logger } from 'pino';
import {
  PermanentDeliveryError,
  asDeliveryError,
  createCircuitBreaker,
  createOutboxRelay,
  withDeadline,
  withTransaction,
  type HealthRegistry,
  type Pool,
  type ServiceClient,
  type ServiceMetrics,
} from '@tourkit/kit';
import type { Catalog } from '../catalog-client.js';
import { seatRelease, type NotificationRequest, type OutboxPayloads } from '../outbox/messages.js';
import { addToOutbox } from '../outbox/outbox.js';
import { releasePromo } from '../repository/promos.js';
import {
  expireOverdueReservations,
  recordRefund,
  stalePendingPayments,
} from '../repository/bookings.js';
import { createPaymentGateway, isPaymentOutage } from './payment-client.js';
import { paymentJobOptions, type PaymentRetryPolicy } from './retry-policy.js';
import {
  PAYMENT_QUEUE,
  startPaymentWorker,
  type PaymentJobData,
  type PaymentJobDeps,
} from './worker.js';

export interface PaymentFlowOptions {
  pool: Pool;
  logger: Logger;
  metrics: ServiceMetrics;
  health: HealthRegistry;
  catalog: Catalog;
  payment: ServiceClient;
  notification: ServiceClient;
  redisUrl: string;
  /** BullMQ key prefix: one per service, and one per test file. */
  queuePrefix: string;
  retry: PaymentRetryPolicy;
  breaker: {
    timeoutMs: number;
    errorThresholdPercentage: number;
    resetTimeoutMs: number;
    volumeThreshold: number;
  };
  workerConcurrency: number;
  publicUrl: string;
  supportEmail: string;
  reservationTtlMs: number;
  outboxIntervalMs: number;
  outboxRetryBaseMs: number;
  expirySweepIntervalMs: number;
  /** How often PENDING_PAYMENT bookings whose job was lost (Redis down at enqueue) are enqueued again. */
  requeueIntervalMs: number;
  now?: () => Date;
  afterCharge?: PaymentJobDeps['afterCharge'];
}

const ENQUEUE_TIMEOUT_MS = 2_000;
const STRANDED_AFTER_MS = 60_000;

/**
 * Booking ↔ payment: the queue and its worker, the circuit breaker around the payment service,
 * the outbox relay (e-mails, seat releases, refunds), the expiry sweep of pay-later reservations
 * and the re-enqueue of stranded payments. The HTTP routes use `acceptsPayments`, `enqueue` and
 * `wakeOutbox`; main starts the rest.
 */
export function createPaymentFlow(options: PaymentFlowOptions) {
  const { pool, logger, metrics } = options;
  const now = options.now ?? (() => new Date());
  const connection: ConnectionOptions = { url: options.redisUrl, maxRetriesPerRequest: null };
  const bookingsByStatus = metrics.counter<'status'>({
    name: 'bookings_total',
    help: 'Bookings created or moved to a status, by status',
    labelNames: ['status'],
  });
  const onBookingStatus = (status: string) => bookingsByStatus.inc({ status });

  const gateway = createPaymentGateway(options.payment);
  const breaker = createCircuitBreaker(gateway.charge, {
    name: 'payment',
    timeoutMs: options.breaker.timeoutMs,
    errorThresholdPercentage: options.breaker.errorThresholdPercentage,
    resetTimeoutMs: options.breaker.resetTimeoutMs,
    volumeThreshold: options.breaker.volumeThreshold,
    isFailure: isPaymentOutage,
    metrics,
    logger,
  });

  const queue = new Queue<PaymentJobData>(PAYMENT_QUEUE, {
    connection,
    prefix: options.queuePrefix,
  });
  queue.on('error', (error) => logger.warn({ err: error }, 'payment queue error'));
  metrics.gauge({
    name: 'payment_queue_depth',
    help: 'Payment jobs waiting, delayed (retry backoff) or running',
    async collect() {
      try {
        const counts = await withDeadline(
          queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized'),
          1_000,
          'queue depth timed out',
        );
        this.set(Object.values(counts).reduce((sum, n) => sum + n, 0));
      } catch {
        // Redis down: keep the last value rather than fail the scrape.
      }
    },
  });

  // Not critical: with payment down, bookings are still taken (as pay-later reservations).
  options.health.register(
    'payment',
    async () => {
      if (breaker.opened) throw new Error('circuit open');
      await options.payment.request('GET', '/readyz', { timeoutMs: 1_000 });
    },
    { critical: false },
  );

  const outbox = createOutboxRelay<OutboxPayloads>({
    pool,
    logger,
    metrics,
    intervalMs: options.outboxIntervalMs,
    retryBaseMs: options.outboxRetryBaseMs,
    handlers: {
      notification: (payload) => deliverNotification(options.notification, payload),
      'release-seats': async ({ tourId, delta, reference }) => {
        const result = await options.catalog.changeSeats(tourId, delta, reference);
        if (result !== 'ok')
          throw new PermanentDeliveryError(`catalog refused the release: ${result}`);
      },
      refund: async ({ bookingId, paymentId }) => {
        try {
          const { refundId } = await gateway.refund(bookingId, paymentId);
          await recordRefund(pool, bookingId, refundId);
        } catch (error) {
          throw asDeliveryError(error);
        }
      },
    },
  });

  const jobDeps: PaymentJobDeps = {
    pool,
    breaker,
    retry: options.retry,
    supportEmail: options.supportEmail,
    logger,
    now,
    onBookingStatus,
    onOutbox: () => outbox.wake(),
    ...(options.afterCharge ? { afterCharge: options.afterCharge } : {}),
  };

  let worker: Worker<PaymentJobData> | undefined;
  const timers: NodeJS.Timeout[] = [];

  async function enqueue(bookingId: string): Promise<void> {
    await withDeadline(
      queue.add('charge', { bookingId }, paymentJobOptions(bookingId, options.retry)),
      ENQUEUE_TIMEOUT_MS,
      'enqueue timed out',
    );
  }

  /** Marks overdue pay-later reservations EXPIRED and queues their seat releases. */
  async function sweepExpired(): Promise<number> {
    const expired = await withTransaction(pool, async (tx) => {
      const bookings = await expireOverdueReservations(tx, now(), 500);
      for (const booking of bookings) {
        await releasePromo(tx, booking.id);
        await addToOutbox(tx, seatRelease(booking));
      }
      return bookings;
    });
    for (const booking of expired) onBookingStatus(booking.status);
    if (expired.length > 0) {
      logger.info({ count: expired.length }, 'expired unpaid reservations');
      outbox.wake();
    }
    return expired.length;
  }

  /** Enqueues again the PENDING_PAYMENT bookings whose job is missing or finished (e.g. Redis was down at enqueue). */
  async function requeueStranded(olderThanMs = STRANDED_AFTER_MS): Promise<number> {
    const ids = await stalePendingPayments(pool, new Date(now().getTime() - olderThanMs), 100);
    let requeued = 0;
    for (const id of ids) {
      const job = await queue.getJob(id);
      const state = job ? await job.getState() : 'missing';
      if (state === 'completed' || state === 'failed') await job!.remove();
      else if (state !== 'missing' && state !== 'unknown') continue;
      await enqueue(id);
      requeued++;
    }
    if (requeued > 0) logger.warn({ requeued }, 'stranded payments enqueued again');
    return requeued;
  }

  function every(intervalMs: number, task: () => Promise<unknown>, name: string) {
    const timer = setInterval(() => {
      task().catch((error: unknown) => logger.error({ err: error }, `${name} failed`));
    }, intervalMs);
    timer.unref();
    timers.push(timer);
  }

  return {
    breaker,
    queue,
    outbox,
    /** False while the circuit is open: new bookings become pay-later reservations. */
    acceptsPayments: () => !breaker.opened,
    enqueue,
    wakeOutbox: () => outbox.wake(),
    sweepExpired,
    requeueStranded,
    publicUrl: options.publicUrl,
    reservationTtlMs: options.reservationTtlMs,
    onBookingStatus,
    /** Starts the worker in this process (main does unless PAYMENT_WORKER=false; tests call it). */
    startWorker(): Worker<PaymentJobData> {
      worker ??= startPaymentWorker({
        ...jobDeps,
        connection,
        prefix: options.queuePrefix,
        concurrency: options.workerConcurrency,
      });
      return worker;
    },
    /** The outbox relay, the expiry sweep and the stranded-payment re-enqueue. */
    startBackground() {
      outbox.start();
      every(options.expirySweepIntervalMs, sweepExpired, 'expiry sweep');
      every(options.requeueIntervalMs, requeueStranded, 'stranded payment re-enqueue');
    },
    async close() {
      for (const timer of timers.splice(0)) clearInterval(timer);
      await outbox.stop();
      await worker?.close();
      await queue.close();
      breaker.shutdown();
    },
  };
}

export type PaymentFlow = ReturnType<typeof createPaymentFlow>;

async function deliverNotification(client: ServiceClient, payload: NotificationRequest) {
  try {
    await client.post('/internal/notifications', payload);
  } catch (error) {
    throw asDeliveryError(error);
  }
}
