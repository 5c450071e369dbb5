import { Router } from 'express';
import {
  HttpProblem,
  currentUser,
  parseBody,
  parseParams,
  parseQuery,
  requireAuth,
  validationFailed,
  type Pool,
  type ServiceClient,
  type ServiceMetrics,
  type TokenVerifier,
} from '@tourkit/kit';
import {
  insertReviewWithOutbox,
  listReviews,
  ratingAggregate,
  type Review,
} from './db/review-repository.js';
import { bookingsOf } from './clients.js';
import { decodeCursor, encodeCursor } from './domain/cursor.js';
import { reviewEligibility } from './domain/eligibility.js';
import { createReviewSchema, listQuerySchema, tourIdParams } from './domain/review-input.js';

export interface ReviewRoutesOptions {
  pool: Pool;
  booking: ServiceClient;
  verifier: TokenVerifier;
  reviewsTotal: ReturnType<ServiceMetrics['counter']>;
  /** Wakes the outbox loop once a review (and its side effects) is committed. */
  onReviewCreated: () => void;
  now: () => Date;
}

function reviewView(review: Review) {
  return {
    id: review.id,
    tourId: review.tourId,
    userId: review.userId,
    rating: review.rating,
    comment: review.comment,
    createdAt: review.createdAt.toISOString(),
  };
}

export function reviewRoutes(options: ReviewRoutesOptions): Router {
  const { pool } = options;
  const router = Router();

  router.post('/v1/tours/:tourId/reviews', requireAuth(options.verifier), async (req, res) => {
    const { tourId } = parseParams(req, tourIdParams);
    const input = parseBody(req, createReviewSchema);
    const user = currentUser(req);
    const eligibility = reviewEligibility(
      await bookingsOf(options.booking, user.id, tourId),
      options.now(),
    );
    if (!eligibility.eligible) {
      throw new HttpProblem(403, 'not-eligible', 'Not eligible to review this tour', {
        detail: eligibility.detail,
        extensions: { reason: eligibility.reason },
      });
    }
    const result = await insertReviewWithOutbox(pool, {
      tourId,
      userId: user.id,
      rating: input.rating,
      comment: input.comment,
    });
    if (result.kind === 'already-reviewed') {
      throw new HttpProblem(409, 'already-reviewed', 'Already reviewed', {
        detail: 'You have already reviewed this tour; a user reviews a tour once.',
      });
    }
    options.reviewsTotal.inc({ rating: String(input.rating) });
    options.onReviewCreated();
    res
      .status(201)
      .location(`/v1/tours/${tourId}/reviews/${result.review.id}`)
      .json(reviewView(result.review));
  });

  router.get('/v1/tours/:tourId/reviews', async (req, res) => {
    const { tourId } = parseParams(req, tourIdParams);
    const query = parseQuery(req, listQuerySchema);
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !cursor)
      throw validationFailed([{ field: 'cursor', message: 'is not a cursor this API issued' }]);
    const page = await listReviews(pool, tourId, query.limit, cursor);
    const last = page.items.at(-1);
    res.json({
      items: page.items.map(reviewView),
      nextCursor: page.hasMore && last ? encodeCursor(last) : null,
    });
  });

  router.get('/v1/tours/:tourId/rating', async (req, res) => {
    const { tourId } = parseParams(req, tourIdParams);
    const { average, count } = await ratingAggregate(pool, tourId);
    res.json({ tourId, average: count === 0 ? null : average, count });
  });

  return router;
}
