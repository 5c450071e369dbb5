import { HttpProblem } from '@tourkit/kit';
import { bookingsOf } from '../clients/booking.js';
import { reviewEligibility } from '../domain/eligibility.js';
import { insertReviewWithOutbox, type Review } from '../store/reviews.js';
import type { ReviewContext } from './context.js';

/**
 * A traveller reviews a tour they booked and took: booking says whether they may (decided by the
 * pure reviewEligibility), then the review and its side effects (catalog rating, operator e-mail)
 * commit together in the outbox.
 */
export async function postReview(
  ctx: ReviewContext,
  userId: string,
  tourId: string,
  input: { rating: number; comment: string },
): Promise<Review> {
  const eligibility = reviewEligibility(await bookingsOf(ctx.booking, userId, tourId), ctx.now());
  if (!eligibility.eligible) {
    throw new HttpProblem(403, 'not-eligible', 'Not eligible to review this tour', {
      detail: eligibility.detail,
      extensions: { reason: eligibility.reason },
    });
  }
  const result = await insertReviewWithOutbox(ctx.pool, {
    tourId,
    userId,
    rating: input.rating,
    comment: input.comment,
  });
  if (result.kind === 'already-reviewed') {
    throw new HttpProblem(409, 'already-reviewed', 'Already reviewed', {
      detail: 'You have already reviewed this tour; a user reviews a tour once.',
    });
  }
  ctx.reviewsTotal.inc({ rating: String(input.rating) });
  ctx.onReviewCreated();
  return result.review;
}
