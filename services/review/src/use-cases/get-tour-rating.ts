import { ratingAggregate } from '../store/reviews.js';
import type { ReviewContext } from './context.js';

/** Anyone reads a tour's average rating and count (null average before the first review). */
export async function getTourRating(ctx: ReviewContext, tourId: string) {
  const { average, count } = await ratingAggregate(ctx.pool, tourId);
  return { tourId, average: count === 0 ? null : average, count };
}
