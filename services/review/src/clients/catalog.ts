import { asDeliveryError, type ServiceClient } from '@tourkit/kit';
import type { RatingAggregate } from '../store/reviews.js';

/** Sets the tour's rating summary at catalog (PUT: idempotent). A refusal that will not change on retry is a PermanentDeliveryError. */
export async function putTourRating(
  catalog: ServiceClient,
  tourId: string,
  { average, count }: RatingAggregate,
): Promise<void> {
  try {
    await catalog.put(`/internal/tours/${encodeURIComponent(tourId)}/rating`, { average, count });
  } catch (error) {
    throw asDeliveryError(error);
  }
}
