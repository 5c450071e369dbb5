import { asDeliveryError, type ServiceClient } from '@tourkit/kit';

/** Tells the tour's operator about a new review, through notification (dedupeKey: once per review). */
export async function notifyOperator(
  notification: ServiceClient,
  payload: Record<string, unknown>,
): Promise<void> {
  const { reviewId, tourId, userId, rating, comment } = payload;
  try {
    await notification.post(
      '/internal/notifications',
      {
        type: 'review-posted',
        dedupeKey: `review-posted:${String(reviewId)}`,
        tourId,
        data: { reviewId, userId, rating, comment },
      },
      // The dedupeKey makes a repeated POST harmless, so the client may retry it.
      { idempotent: true },
    );
  } catch (error) {
    throw asDeliveryError(error);
  }
}
