import { Router } from 'express';
import { z } from 'zod';
import { notFound, parseBody, parseParams, requireInternalToken } from '@tourkit/kit';
import { notificationRequestSchema } from './domain/notification.js';
import type { NotificationRow, NotificationStore } from './notification-store.js';
import type { Notifications } from './notifications.js';
import type { ReminderSweepResult } from './reminders.js';

export interface NotificationRoutesDeps {
  notifications: Notifications;
  store: NotificationStore;
  internalToken: string;
  runReminders: () => Promise<ReminderSweepResult>;
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
    res.status(202).json(await deps.notifications.submit(request));
  });

  internal.get('/notifications/:id', async (req, res) => {
    const { id } = parseParams(req, idParams);
    const row = await deps.store.get(id);
    if (!row) throw notFound(`No notification ${id}`);
    res.json(view(row));
  });

  internal.post('/jobs/reminders/run', async (_req, res) => {
    res.json(await deps.runReminders());
  });

  const router = Router();
  router.use('/internal', internal);
  return router;
}
