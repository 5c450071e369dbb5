import { notFound } from '@tourkit/kit';
import type { NotificationRow } from '../store/notifications.js';
import type { NotificationContext } from './context.js';

/** A service (or support) looks at one notification's delivery; 404 when there is none. */
export async function getNotification(
  ctx: NotificationContext,
  id: string,
): Promise<NotificationRow> {
  const row = await ctx.store.get(id);
  if (!row) throw notFound(`No notification ${id}`);
  return row;
}
