import type { ServiceMetrics } from '@tourkit/kit';
import type { Queue } from 'bullmq';

export interface NotificationMetrics {
  /** status: queued | duplicate | sent | retried | failed. */
  notifications: { inc(labels: { type: string; status: string }): void };
  remindersSent: { inc(): void };
}

export function createNotificationMetrics(
  metrics: ServiceMetrics,
  queue: Queue,
): NotificationMetrics {
  metrics.gauge<'state'>({
    name: 'notification_queue_depth',
    help: 'Jobs in the notification queue, by state (read from Redis at scrape time)',
    labelNames: ['state'],
    async collect() {
      const counts = await withTimeout(queue.getJobCounts('waiting', 'delayed', 'active'), 1_000);
      if (!counts) return;
      for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
    },
  });
  return {
    notifications: metrics.counter<'type' | 'status'>({
      name: 'notifications_total',
      help: 'Notifications by type and outcome (queued, duplicate, sent, retried, failed)',
      labelNames: ['type', 'status'],
    }),
    remindersSent: metrics.counter({
      name: 'reminders_sent_total',
      help: 'Reminder e-mails delivered (one per booking)',
    }),
  };
}

/** Resolves to undefined instead of hanging when Redis does not answer in time. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
