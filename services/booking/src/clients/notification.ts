import { asDeliveryError, type ServiceClient } from '@tourkit/kit';
import type { NotificationRequest } from '../domain/outbox-messages.js';

/** Hands one e-mail to the notification service; its dedupeKey makes a redelivery harmless. */
export async function sendNotification(
  client: ServiceClient,
  request: NotificationRequest,
): Promise<void> {
  try {
    await client.post('/internal/notifications', request);
  } catch (error) {
    throw asDeliveryError(error);
  }
}
