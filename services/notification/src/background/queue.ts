import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';

export const QUEUE_NAME = 'notifications';
export const DELIVER_JOB = 'deliver';
export const REMINDER_SWEEP_JOB = 'reminder-sweep';
export const REMINDER_SCHEDULER_ID = 'hourly-reminders';

export interface DeliverJobData {
  notificationId: string;
}

/** ioredis options from a redis:// or rediss:// URL; BullMQ needs no per-request retry limit. */
export function redisConnectionOptions(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(Number.isInteger(db) ? { db } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/**
 * One job per notification, id = the row's id: adding it again while it exists is a no-op, and
 * finished jobs are removed because the table, not Redis, is the record.
 */
export function deliverJobOptions(
  notificationId: string,
  retry: { attempts: number; backoffMs: number },
  delayMs = 0,
): JobsOptions {
  return {
    jobId: notificationId,
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs },
    removeOnComplete: true,
    removeOnFail: true,
    ...(delayMs > 0 ? { delay: delayMs } : {}),
  };
}

export function createNotificationQueue(options: { redisUrl: string; prefix: string }): Queue {
  return new Queue(QUEUE_NAME, {
    connection: redisConnectionOptions(options.redisUrl),
    prefix: options.prefix,
    // A delivery job carries the trace of the request that submitted it (the worker continues it).
    telemetry: queueTelemetry(),
  });
}

/** BullMQ's OpenTelemetry add-on: producer and consumer spans, the context in the job's options. */
export function queueTelemetry(): BullMQOtel {
  return new BullMQOtel({ tracerName: 'notification' });
}
