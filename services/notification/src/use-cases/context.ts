import type { Queue } from 'bullmq';
import type { Logger } from '@tourkit/kit';
import type { Directory } from '../clients/directory.js';
import type { NotificationMetrics } from '../background/notification-metrics.js';
import type { NotificationStore } from '../store/notifications.js';

/** Everything a notification use case may touch, built once by buildNotificationApp. */
export interface NotificationContext {
  store: NotificationStore;
  queue: Queue;
  directory: Directory;
  metrics: NotificationMetrics;
  logger: Logger;
  retry: { attempts: number; backoffMs: number };
  /** How long an HTTP request waits for Redis before leaving the job to the recovery sweep. */
  enqueueTimeoutMs?: number;
}
