import { asDeliveryError, type ServiceClient } from '@tourkit/kit';
import type { TourChangedBody } from '../domain/tour-change.js';

/** Tells booking a tour changed; booking applies the same body twice as once. */
export async function tellBookingTourChanged(
  client: ServiceClient,
  tourId: string,
  body: TourChangedBody,
): Promise<void> {
  try {
    await client.post(`/internal/tours/${tourId}/changed`, body);
  } catch (error) {
    // 5xx, timeouts, 408/429: retried by the relay; another 4xx parks the message for a person.
    throw asDeliveryError(error);
  }
}
