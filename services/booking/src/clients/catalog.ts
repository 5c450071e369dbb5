import { z } from 'zod';
import { upstreamProblem, type ServiceClient } from '@tourkit/kit';
import type { TourPricing } from '../domain/pricing/index.js';
import type { SeatMovement } from '../domain/seat-movements.js';

/** What booking needs of a tour; catalog sends more, which is ignored. */
const tourSchema = z.object({
  id: z.string(),
  startsAt: z.coerce.date(),
  priceCents: z.number().int().nonnegative(),
  seasons: z
    .array(
      z.object({
        name: z.string(),
        from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        priceCents: z.number().int().nonnegative(),
      }),
    )
    .default([]),
});

export type CatalogTour = TourPricing & { id: string };

export type SeatChangeResult =
  'ok' | 'not-enough-seats' | 'tour-not-found' | 'release-exceeds-booked';

const seatMovementsSchema = z.object({
  items: z.array(
    z.object({
      id: z.coerce.string(),
      tourId: z.string(),
      delta: z.number().int(),
      reference: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  next: z.coerce.string().nullable(),
});

/** The catalog calls booking makes: read a tour's price, reserve (+) or release (−) seats, read the seat log. */
export interface Catalog {
  getTour(tourId: string): Promise<CatalogTour | null>;
  /** `reference` (e.g. booking:<id>:reserve) makes the change apply once, so it is retried safely. */
  changeSeats(tourId: string, delta: number, reference: string): Promise<SeatChangeResult>;
  /** Catalog's seat movements after `after` (GET /internal/seat-movements, contract of issue 12). */
  seatMovements(
    after: string | null,
    limit: number,
  ): Promise<{ items: SeatMovement[]; next: string | null }>;
}

export function createCatalog(client: ServiceClient): Catalog {
  return {
    async getTour(tourId) {
      try {
        return await client.get(`/v1/tours/${encodeURIComponent(tourId)}`, { schema: tourSchema });
      } catch (error) {
        if (upstreamProblem(error) === 'not-found') return null;
        throw error;
      }
    },
    async seatMovements(after, limit) {
      return client.get('/internal/seat-movements', {
        query: { ...(after === null ? {} : { after }), limit },
        schema: seatMovementsSchema,
      });
    },
    // Catalog applies a reference once, so this POST may be retried on timeouts and 5xx.
    async changeSeats(tourId, delta, reference) {
      try {
        await client.post(
          `/internal/tours/${encodeURIComponent(tourId)}/seats`,
          { delta, reference },
          { idempotent: true },
        );
        return 'ok';
      } catch (error) {
        switch (upstreamProblem(error)) {
          case 'not-found':
            return 'tour-not-found';
          // Catalog's refusals (src/http/routes.ts there); a reused reference means this seat
          // change was already decided otherwise, which booking treats as the same refusal; a
          // cancelled tour takes no seats: for the traveller, there are none left.
          case 'not-enough-seats':
          case 'release-exceeds-booked':
          case 'seat-reference-reused':
          case 'tour-cancelled':
            return delta > 0 ? 'not-enough-seats' : 'release-exceeds-booked';
          default:
            throw error;
        }
      }
    },
  };
}
