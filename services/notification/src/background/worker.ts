import { DelayedError, UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import { isPermanentUpstreamError, type Logger } from '@tourkit/kit';
import { composeEmail, NoRecipientError, type ComposedEmail } from './compose-email.js';
import type { Directory } from '../clients/directory.js';
import { messageIdFor } from '../domain/notification.js';
import type { Mailer } from '../clients/mailer.js';
import type { NotificationMetrics } from './notification-metrics.js';
import type { NotificationRow, NotificationStore } from '../store/notifications.js';
import {
  DELIVER_JOB,
  QUEUE_NAME,
  REMINDER_SCHEDULER_ID,
  REMINDER_SWEEP_JOB,
  queueTelemetry,
  redisConnectionOptions,
  type DeliverJobData,
} from './queue.js';
import type { NotificationContext } from '../use-cases/context.js';
import { runReminderSweep } from '../use-cases/run-reminder-sweep.js';
import { recoverUnfinished } from './delivery-jobs.js';

export interface WorkerDeps {
  ctx: NotificationContext;
  store: NotificationStore;
  directory: Directory;
  mailer: Mailer;
  metrics: NotificationMetrics;
  logger: Logger;
  queue: Queue;
  settings: {
    redisUrl: string;
    queuePrefix: string;
    concurrency: number;
    leaseMs: number;
    lockMs: number;
    stalledIntervalMs: number;
    recoveryIntervalMs: number;
    messageIdDomain: string;
    supportEmail: string;
    reminderCron: string;
    reminderWindow: string;
  };
}

export interface NotificationWorker {
  worker: Worker;
  close(): Promise<void>;
}

export type DeliveryOutcome = 'sent' | 'skipped';

/**
 * Delivers one notification at most once: enrich and render first (reads only), then claim the
 * row (queued → sending, one winner), send with the Message-ID derived from the dedupe key, and
 * mark it sent. Between the SMTP server's "250 accepted" and the row's update lies the one
 * window a crash can turn into a second send (same Message-ID); see README.
 */
export async function deliverNotification(
  deps: WorkerDeps,
  job: Job<DeliverJobData>,
  token: string | undefined,
): Promise<DeliveryOutcome> {
  const { store, logger } = deps;
  const id = job.data.notificationId;
  const row = await store.get(id);
  if (!row || row.status === 'sent' || row.status === 'failed') return 'skipped';
  if (row.status === 'sending' && row.leaseUntil && row.leaseUntil.getTime() > Date.now()) {
    // Another worker holds it (or held it and died): look again when its lease ends.
    await job.moveToDelayed(row.leaseUntil.getTime() + 50, token);
    throw new DelayedError();
  }
  const isLastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

  let email: ComposedEmail;
  try {
    email = await composeEmail(row.payload, deps.directory, deps.settings.supportEmail);
  } catch (error) {
    if (error instanceof NoRecipientError || isPermanentUpstreamError(error)) {
      await fail(deps, row, error);
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
    if (isLastAttempt) await fail(deps, row, error);
    else deps.metrics.notifications.inc({ type: row.type, status: 'retried' });
    throw error;
  }

  const messageId = messageIdFor(row.dedupeKey, deps.settings.messageIdDomain);
  const attempt = await store.claim(id, {
    leaseMs: deps.settings.leaseMs,
    recipient: email.to,
    messageId,
  });
  if (attempt === undefined) return 'skipped';

  try {
    await deps.mailer.send({
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId,
      headers: { 'X-Tourkit-Notification': `${row.type}; id=${row.id}` },
    });
  } catch (error) {
    if (isLastAttempt) {
      await fail(deps, row, error);
    } else {
      await store.release(id, attempt, error);
      deps.metrics.notifications.inc({ type: row.type, status: 'retried' });
      logger.warn({ err: error, notificationId: id, attempt }, 'send failed; will retry');
    }
    throw error;
  }

  const marked = await store.markSent(id, attempt);
  if (!marked) {
    logger.error({ notificationId: id, attempt }, 'sent, but the claim had been taken over');
  }
  deps.metrics.notifications.inc({ type: row.type, status: 'sent' });
  if (row.type === 'reminder') deps.metrics.remindersSent.inc();
  logger.info({ notificationId: id, type: row.type, messageId, attempt }, 'notification sent');
  return 'sent';
}

async function fail(deps: WorkerDeps, row: NotificationRow, error: unknown): Promise<void> {
  if (await deps.store.markFailed(row.id, error)) {
    deps.metrics.notifications.inc({ type: row.type, status: 'failed' });
    deps.logger.error(
      { err: error, notificationId: row.id, type: row.type, dedupeKey: row.dedupeKey },
      'notification failed for good',
    );
  }
}

/**
 * Starts the queue worker: a recovery sweep first (rows a dead process left queued or sending),
 * the periodic sweep, the reminder scheduler, then the BullMQ worker.
 */
export async function startNotificationWorker(deps: WorkerDeps): Promise<NotificationWorker> {
  const { settings, logger } = deps;
  await recoverUnfinished(deps.ctx, 0);
  const recovery = setInterval(() => {
    recoverUnfinished(deps.ctx, settings.recoveryIntervalMs).catch((error: unknown) =>
      logger.warn({ err: error }, 'recovery sweep failed'),
    );
  }, settings.recoveryIntervalMs);
  recovery.unref();

  // Idempotent across replicas and restarts: one scheduler of that id, whoever upserts it.
  await deps.queue.upsertJobScheduler(
    REMINDER_SCHEDULER_ID,
    { pattern: settings.reminderCron, tz: 'UTC' },
    { name: REMINDER_SWEEP_JOB, opts: { removeOnComplete: true, removeOnFail: 50 } },
  );

  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job, token?: string) => {
      if (job.name === DELIVER_JOB)
        return deliverNotification(deps, job as Job<DeliverJobData>, token);
      if (job.name === REMINDER_SWEEP_JOB) {
        return runReminderSweep(deps.ctx, settings.reminderWindow);
      }
      throw new UnrecoverableError(`unknown job ${job.name}`);
    },
    {
      connection: redisConnectionOptions(settings.redisUrl),
      prefix: settings.queuePrefix,
      concurrency: settings.concurrency,
      lockDuration: settings.lockMs,
      stalledInterval: settings.stalledIntervalMs,
      // A job stalls when its worker dies; the row's claim prevents a second send, so let it come back.
      maxStalledCount: 10,
      telemetry: queueTelemetry(),
    },
  );
  worker.on('error', (error) => logger.warn({ err: error }, 'queue worker error'));
  return {
    worker,
    async close() {
      clearInterval(recovery);
      await worker.close();
    },
  };
}
