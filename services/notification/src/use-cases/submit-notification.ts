import { withDeadline } from '@tourkit/kit';
import { enqueueDelivery } from '../background/delivery-jobs.js';
import type { NotificationRequest } from '../domain/notification.js';
import type { NotificationContext } from './context.js';

export interface SubmitResult {
  id: string;
  status: 'queued' | 'duplicate';
}

/** A service asks for an e-mail: the row first (once per dedupeKey), then its delivery job. */
export async function submitNotification(
  ctx: NotificationContext,
  request: NotificationRequest,
): Promise<SubmitResult> {
  const { id, created } = await ctx.store.insert(request);
  ctx.metrics.notifications.inc({ type: request.type, status: created ? 'queued' : 'duplicate' });
  if (!created) return { id, status: 'duplicate' };
  const timeoutMs = ctx.enqueueTimeoutMs ?? 2_000;
  try {
    await withDeadline(
      enqueueDelivery(ctx, id),
      timeoutMs,
      `Redis did not answer in ${timeoutMs} ms`,
    );
  } catch (error) {
    // The row is stored: the recovery sweep enqueues it once Redis answers again.
    ctx.logger.warn({ err: error, notificationId: id }, 'enqueue failed; left to recovery');
  }
  return { id, status: 'queued' };
}
