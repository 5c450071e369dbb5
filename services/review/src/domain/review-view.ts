import type { Review } from '../store/reviews.js';

/** A review as the API shows it. */
export function reviewView(review: Review) {
  return {
    id: review.id,
    tourId: review.tourId,
    userId: review.userId,
    rating: review.rating,
    comment: review.comment,
    createdAt: review.createdAt.toISOString(),
  };
}
