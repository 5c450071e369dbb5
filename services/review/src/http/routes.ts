import { Router } from 'express';
import {
  currentUser,
  parseBody,
  parseParams,
  parseQuery,
  requireAuth,
  type TokenVerifier,
} from '@tourkit/kit';
import { reviewView } from '../domain/review-view.js';
import type { ReviewContext } from '../use-cases/context.js';
import { getTourRating } from '../use-cases/get-tour-rating.js';
import { listReviews } from '../use-cases/list-reviews.js';
import { postReview } from '../use-cases/post-review.js';
import { createReviewSchema, listQuerySchema, tourIdParams } from './schemas.js';

export interface ReviewRoutesOptions {
  ctx: ReviewContext;
  verifier: TokenVerifier;
}

export function reviewRoutes({ ctx, verifier }: ReviewRoutesOptions): Router {
  const router = Router();

  router.post('/v1/tours/:tourId/reviews', requireAuth(verifier), async (req, res) => {
    const { tourId } = parseParams(req, tourIdParams);
    const input = parseBody(req, createReviewSchema);
    const review = await postReview(ctx, currentUser(req).id, tourId, input);
    res.status(201).location(`/v1/tours/${tourId}/reviews/${review.id}`).json(reviewView(review));
  });

  router.get('/v1/tours/:tourId/reviews', async (req, res) => {
    const { tourId } = parseParams(req, tourIdParams);
    const query = parseQuery(req, listQuerySchema);
    const page = await listReviews(ctx, tourId, query.limit, query.cursor);
    res.json({ items: page.items.map(reviewView), nextCursor: page.nextCursor });
  });

  router.get('/v1/tours/:tourId/rating', async (req, res) => {
    const { tourId } = parseParams(req, tourIdParams);
    res.json(await getTourRating(ctx, tourId));
  });

  return router;
}
