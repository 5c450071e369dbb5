import { z } from 'zod';
import { asDeliveryError, type OutboxHandlers, type Pool, type ServiceClient } from '@tourkit/kit';
import { ratingAggregate } from './db/review-repository.js';
import type { BookingSummary } from './domain/eligibility.js';

const bookingsResponse = z.object({
  items: z.array(z.object({ id: z.string(), status: z.string(), tourStartsAt: z.coerce.date() })),
});

/** What each kind of outbox row carries (written with the review, src/db/review-repository.ts). */
export type ReviewOutboxPayloads = {
  'catalog-rating': { tourId: string };
  'operator-notification': Record<string, unknown>;
};

/** Every booking of `userId` for `tourId`, from booking's internal API. */
export async function bookingsOf(
  booking: ServiceClient,
  userId: string,
  tourId: string,
): Promise<BookingSummary[]> {
  const body = await booking.get('/internal/bookings', {
    query: { user: userId, tour: tourId },
    schema: bookingsResponse,
  });
  return body.items;
}

/** 4xx other than 408/429 will not change on retry: park instead of retrying forever. */
function permanentOrRethrow(error: unknown): never {
  throw asDeliveryError(error);
}

export function outboxHandlers(deps: {
  pool: Pool;
  catalog: ServiceClient;
  notification: ServiceClient;
}): OutboxHandlers<ReviewOutboxPayloads> {
  return {
    // Sends the aggregate as it is at delivery time, not at review time: a late or repeated delivery
    // still leaves catalog with the current rating (PUT is idempotent).
    'catalog-rating': async (payload) => {
      const tourId = String(payload.tourId);
      const { average, count } = await ratingAggregate(deps.pool, tourId);
      await deps.catalog
        .put(`/internal/tours/${encodeURIComponent(tourId)}/rating`, { average, count })
        .catch(permanentOrRethrow);
    },
    'operator-notification': async (payload) => {
      const { reviewId, tourId, userId, rating, comment } = payload;
      await deps.notification
        .post(
          '/internal/notifications',
          {
            type: 'review-posted',
            dedupeKey: `review-posted:${String(reviewId)}`,
            tourId,
            data: { reviewId, userId, rating, comment },
          },
          // The dedupeKey makes a repeated POST harmless, so the client may retry it.
          { idempotent: true },
        )
        .catch(permanentOrRethrow);
    },
  };
}
