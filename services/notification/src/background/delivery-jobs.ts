import type { Queue } from 'bullmq';
import type { Logger } from '@tourkit/kit';
import type { NotificationStore } from '../store/notifications.js';
import { DELIVER_JOB, deliverJobOptions, type DeliverJobData } from './queue.js';

export interface DeliveryJobsDeps {
  store: NotificationStore;
  queue: Queue;
  logger: Logger;
  retry: { attempts: number; backoffMs: number };
}

/** Adds the delivery job; a no-op when the notification already has one. */
export async function enqueueDelivery(
  deps: Pick<DeliveryJobsDeps, 'queue' | 'retry'>,
  id: string,
  delayMs = 0,
): Promise<void> {
  const data: DeliverJobData = { notificationId: id };
  await deps.queue.add(DELIVER_JOB, data, deliverJobOptions(id, deps.retry, delayMs));
}

/**
 * Re-enqueues every unfinished row idle for `idleMs` (0 at start-up: all of them): rows whose
 * job was lost (Redis down at submit time, flushed queue) and rows left in `sending` by a
 * worker that died, which wait for their lease to end. Returns how many it looked at.
 */
export async function recoverUnfinished(deps: DeliveryJobsDeps, idleMs: number): Promise<number> {
  const rows = await deps.store.unfinished(idleMs);
  const now = Date.now();
  for (const row of rows) {
    const delay = row.leaseUntil ? Math.max(0, row.leaseUntil.getTime() - now) : 0;
    await enqueueDelivery(deps, row.id, delay);
  }
  if (rows.length > 0)
    deps.logger.info({ count: rows.length }, 'unfinished notifications re-enqueued');
  return rows.length;
}
