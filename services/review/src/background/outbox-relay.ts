import type { Logger } from 'pino';
import {
  createOutboxRelay,
  type OutboxRelay,
  type Pool,
  type ServiceClient,
  type ServiceMetrics,
} from '@tourkit/kit';
import { putTourRating } from '../clients/catalog.js';
import { notifyOperator } from '../clients/notification.js';
import { ratingAggregate } from '../store/reviews.js';

/** What each kind of outbox row carries (written with the review, src/store/reviews.ts). */
export type ReviewOutboxPayloads = {
  'catalog-rating': { tourId: string };
  'operator-notification': Record<string, unknown>;
};

export interface ReviewOutboxOptions {
  pool: Pool;
  catalog: ServiceClient;
  notification: ServiceClient;
  logger: Logger;
  metrics: ServiceMetrics;
  intervalMs: number;
  retryBaseMs: number;
  maxBackoffMs: number;
}

/** Delivers a review's side effects: catalog's rating, the operator's e-mail. */
export function createReviewOutbox(options: ReviewOutboxOptions): OutboxRelay {
  const { pool } = options;
  return createOutboxRelay<ReviewOutboxPayloads>({
    pool,
    handlers: {
      // Sends the aggregate as it is at delivery time, not at review time: a late or repeated
      // delivery still leaves catalog with the current rating.
      'catalog-rating': async (payload) => {
        const tourId = String(payload.tourId);
        await putTourRating(options.catalog, tourId, await ratingAggregate(pool, tourId));
      },
      'operator-notification': (payload) => notifyOperator(options.notification, payload),
    },
    logger: options.logger,
    metrics: options.metrics,
    intervalMs: options.intervalMs,
    // The review row is the record; a delivered side effect needs no trace of its own.
    deliveredRows: 'delete',
    retryBaseMs: options.retryBaseMs,
    maxBackoffMs: options.maxBackoffMs,
  });
}
