import { z } from 'zod';
import { UpstreamError, type Pool, type ServiceClient } from '@tourkit/kit';
import { ratingAggregate } from './db/review-repository.js';
import type { BookingSummary } from './domain/eligibility.js';
import { PermanentDeliveryError, type OutboxHandler, type OutboxKind } from './outbox.js';

const bookingsResponse = z.object({
  items: z.array(z.object({ id: z.string(), status: z.string(), tourStartsAt: z.coerce.date() })),
});

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
  if (
    error instanceof UpstreamError &&
    error.kind === 'status' &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 408 &&
    error.status !== 429
  ) {
    const detail = error.problem?.detail ?? error.problem?.title ?? '';
    throw new PermanentDeliveryError(`${error.message}${detail ? `: ${detail}` : ''}`, {
      cause: error,
    });
  }
  throw error;
}

export function outboxHandlers(deps: {
  pool: Pool;
  catalog: ServiceClient;
  notification: ServiceClient;
}): Record<OutboxKind, OutboxHandler> {
  return {
    // Sends the aggregate as it is at delivery time, not at review time: a late or repeated delivery
    // still leaves catalog with the current rating (PUT is idempotent).
    'catalog-rating': async (entry) => {
      const tourId = String(entry.payload.tourId);
      const { average, count } = await ratingAggregate(deps.pool, tourId);
      await deps.catalog
        .put(`/internal/tours/${encodeURIComponent(tourId)}/rating`, { average, count })
        .catch(permanentOrRethrow);
    },
    'operator-notification': async (entry) => {
      const { reviewId, tourId, userId, rating, comment } = entry.payload;
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
