import { Router } from 'express';
import { z } from 'zod';
import { parseBody, parseParams, requireInternalToken } from '@tourkit/kit';
import { notificationRequestSchema } from '../domain/notification.js';
import type { NotificationRow } from '../store/notifications.js';
import type { NotificationContext } from '../use-cases/context.js';
import { getNotification } from '../use-cases/get-notification.js';
import { runReminderSweep } from '../use-cases/run-reminder-sweep.js';
import { submitNotification } from '../use-cases/submit-notification.js';

export interface NotificationRoutesDeps {
  ctx: NotificationContext;
  internalToken: string;
  /** The reminder window (REMINDER_WINDOW) a manual run uses, as the hourly job does. */
  reminderWindow: string;
}

const idParams = z.object({ id: z.uuid('must be a UUID') });

function view(row: NotificationRow) {
  return {
    id: row.id,
    dedupeKey: row.dedupeKey,
    type: row.type,
    recipient: row.recipient,
    status: row.status,
    attempts: row.attempts,
    messageId: row.messageId,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

export function notificationRoutes(deps: NotificationRoutesDeps): Router {
  const internal = Router();
  internal.use(requireInternalToken(deps.internalToken));

  internal.post('/notifications', async (req, res) => {
    const request = parseBody(req, notificationRequestSchema);
    res.status(202).json(await submitNotification(deps.ctx, request));
  });

  internal.get('/notifications/:id', async (req, res) => {
    const { id } = parseParams(req, idParams);
    res.json(view(await getNotification(deps.ctx, id)));
  });

  internal.post('/jobs/reminders/run', async (_req, res) => {
    res.json(await runReminderSweep(deps.ctx, deps.reminderWindow));
  });

  const router = Router();
  router.use('/internal', internal);
  return router;
}
