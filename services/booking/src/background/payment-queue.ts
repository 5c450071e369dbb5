import { Queue, type ConnectionOptions } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import type { Logger } from 'pino';
import { withDeadline, type ServiceMetrics } from '@tourkit/kit';
import { paymentJobOptions, type PaymentRetryPolicy } from '../domain/payment-retry.js';

export const PAYMENT_QUEUE = 'payments';

export interface PaymentJobData {
  bookingId: string;
}

const ENQUEUE_TIMEOUT_MS = 2_000;

export interface PaymentQueueOptions {
  connection: ConnectionOptions;
  /** BullMQ key prefix: one per service, and one per test file. */
  prefix: string;
  retry: PaymentRetryPolicy;
  logger: Logger;
  metrics: ServiceMetrics;
}

/** The BullMQ queue of payments to run, with its depth on /metrics. */
export function createPaymentQueue(options: PaymentQueueOptions) {
  const queue = new Queue<PaymentJobData>(PAYMENT_QUEUE, {
    connection: options.connection,
    prefix: options.prefix,
    // The job carries the request's trace context; the worker's span continues that trace.
    telemetry: new BullMQOtel({ tracerName: 'booking' }),
  });
  queue.on('error', (error) => options.logger.warn({ err: error }, 'payment queue error'));
  options.metrics.gauge({
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
  return {
    queue,
    /**
     * Enqueues the booking's payment once at a time (the job id is the booking id): a job still
     * waiting or running is kept, a finished one (e.g. ended in PAYMENT_UNKNOWN, now to be tried
     * again) is replaced. Bounded so a dead Redis cannot hang a request.
     */
    async enqueue(bookingId: string): Promise<void> {
      await withDeadline(
        (async () => {
          const job = await queue.getJob(bookingId);
          const state = job ? await job.getState() : 'missing';
          if (state === 'completed' || state === 'failed') await job!.remove();
          await queue.add('charge', { bookingId }, paymentJobOptions(bookingId, options.retry));
        })(),
        ENQUEUE_TIMEOUT_MS,
        'enqueue timed out',
      );
    },
  };
}

export type PaymentQueue = ReturnType<typeof createPaymentQueue>;
