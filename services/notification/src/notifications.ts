import type { Queue } from 'bullmq';
import { withDeadline, type Logger } from '@tourkit/kit';
import type { NotificationRequest } from './domain/notification.js';
import type { NotificationStore } from './notification-store.js';
import type { NotificationMetrics } from './notification-metrics.js';
import { DELIVER_JOB, deliverJobOptions, type DeliverJobData } from './queue.js';

export interface SubmitResult {
  id: string;
  status: 'queued' | 'duplicate';
}

/** Accepting notifications (outbox row first, then the job) and putting lost jobs back. */
export class Notifications {
  constructor(
    private readonly deps: {
      store: NotificationStore;
      queue: Queue;
      metrics: NotificationMetrics;
      logger: Logger;
      retry: { attempts: number; backoffMs: number };
      /** How long an HTTP request waits for Redis before leaving the job to the recovery sweep. */
      enqueueTimeoutMs?: number;
    },
  ) {}

  async submit(request: NotificationRequest): Promise<SubmitResult> {
    const { id, created } = await this.deps.store.insert(request);
    this.deps.metrics.notifications.inc({
      type: request.type,
      status: created ? 'queued' : 'duplicate',
    });
    if (created) {
      await this.enqueueOrLeaveToRecovery(id);
      return { id, status: 'queued' };
    }
    return { id, status: 'duplicate' };
  }

  /** Adds the delivery job; a no-op when the notification already has one. */
  async enqueue(id: string, delayMs = 0): Promise<void> {
    const data: DeliverJobData = { notificationId: id };
    await this.deps.queue.add(DELIVER_JOB, data, deliverJobOptions(id, this.deps.retry, delayMs));
  }

  /**
   * Re-enqueues every unfinished row idle for `idleMs` (0 at start-up: all of them): rows whose
   * job was lost (Redis down at submit time, flushed queue) and rows left in `sending` by a
   * worker that died, which wait for their lease to end. Returns how many it looked at.
   */
  async recover(idleMs: number): Promise<number> {
    const rows = await this.deps.store.unfinished(idleMs);
    const now = Date.now();
    for (const row of rows) {
      const delay = row.leaseUntil ? Math.max(0, row.leaseUntil.getTime() - now) : 0;
      await this.enqueue(row.id, delay);
    }
    if (rows.length > 0)
      this.deps.logger.info({ count: rows.length }, 'unfinished notifications re-enqueued');
    return rows.length;
  }

  private async enqueueOrLeaveToRecovery(id: string): Promise<void> {
    const timeoutMs = this.deps.enqueueTimeoutMs ?? 2_000;
    try {
      await withDeadline(this.enqueue(id), timeoutMs, `Redis did not answer in ${timeoutMs} ms`);
    } catch (error) {
      // The row is stored: the recovery sweep enqueues it once Redis answers again.
      this.deps.logger.warn({ err: error, notificationId: id }, 'enqueue failed; left to recovery');
    }
  }
}
