import { withDeadline, type ServiceMetrics } from '@tourkit/kit';
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
      // Redis down: keep the last values rather than hang or fail the scrape.
      const counts = await withDeadline(
        queue.getJobCounts('waiting', 'delayed', 'active'),
        1_000,
        'queue depth timed out',
      ).catch(() => undefined);
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
