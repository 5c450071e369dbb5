import type { Logger } from 'pino';
import type { Pool } from '@tourkit/kit';
import { stalePendingPayments } from '../store/bookings.js';
import type { PaymentQueue } from './payment-queue.js';

export const STRANDED_AFTER_MS = 60_000;

export interface RequeueDeps {
  pool: Pool;
  logger: Logger;
  now: () => Date;
  payments: PaymentQueue;
}

/** Enqueues again the PENDING_PAYMENT bookings whose job is missing or finished (e.g. Redis was down at enqueue). */
export async function requeueStrandedPayments(
  deps: RequeueDeps,
  olderThanMs = STRANDED_AFTER_MS,
): Promise<number> {
  const before = new Date(deps.now().getTime() - olderThanMs);
  const ids = await stalePendingPayments(deps.pool, before, 100);
  let requeued = 0;
  for (const id of ids) {
    const job = await deps.payments.queue.getJob(id);
    const state = job ? await job.getState() : 'missing';
    if (state !== 'missing' && state !== 'unknown' && state !== 'completed' && state !== 'failed')
      continue;
    await deps.payments.enqueue(id); // replaces a finished job
    requeued++;
  }
  if (requeued > 0) deps.logger.warn({ requeued }, 'stranded payments enqueued again');
  return requeued;
}
