import type { Pool, ServiceClient, ServiceMetrics } from '@tourkit/kit';

/** Everything a review use case may touch, built once by createReviewApp. */
export interface ReviewContext {
  pool: Pool;
  booking: ServiceClient;
  reviewsTotal: ReturnType<ServiceMetrics['counter']>;
  /** Wakes the outbox loop once a review (and its side effects) is committed. */
  onReviewCreated: () => void;
  now: () => Date;
}
