import type { Logger } from 'pino';
import { createOutboxRelay, type ServiceClient, type ServiceMetrics } from '@tourkit/kit';
import type { Pool } from '@tourkit/kit';
import { tellBookingTourChanged } from '../clients/booking.js';
import { tourChangedBody } from '../domain/tour-change.js';
import type { CatalogOutboxPayloads } from '../store/outbox.js';
import type { TourRepository } from '../store/tours.js';

export interface CatalogOutboxOptions {
  primary: Pool;
  tours: TourRepository;
  booking: ServiceClient;
  logger: Logger;
  metrics: ServiceMetrics;
  intervalMs: number;
  retryBaseMs: number;
}

/**
 * Delivers catalog's outbox: each `tour-changed` message sends booking the tour as it is now, read
 * on the primary. So messages delivered out of order (a retry after a later success) still leave
 * booking with the latest state, and two changes in a row may reach it as one.
 */
export function createCatalogOutbox(options: CatalogOutboxOptions) {
  const { primary, tours, booking } = options;
  return createOutboxRelay<CatalogOutboxPayloads>({
    pool: primary,
    logger: options.logger,
    metrics: options.metrics,
    intervalMs: options.intervalMs,
    retryBaseMs: options.retryBaseMs,
    handlers: {
      'tour-changed': async ({ tourId }) => {
        const tour = await tours.findById(tourId, primary);
        // Tours are never deleted; a missing one has nothing left to tell.
        if (!tour) return;
        await tellBookingTourChanged(booking, tourId, tourChangedBody(tour));
      },
    },
  });
}
