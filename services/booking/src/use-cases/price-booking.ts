import { unprocessable } from '@tourkit/kit';
import {
  PricingError,
  quotePrice,
  type PriceQuote,
  type PromoCode,
} from '../domain/pricing/index.js';
import type { BookingRequest } from '../domain/booking.js';
import type { CatalogTour } from '../clients/catalog.js';
import { findPromo } from '../store/promos.js';
import type { Queryable } from '../store/queryable.js';
import type { BookingContext } from './context.js';
import { unknownTour } from './problems.js';

export interface PricedBooking {
  tour: CatalogTour;
  promo: PromoCode | null;
  quote: PriceQuote;
}

/**
 * The step quote and create share: gathers the facts (tour from catalog, promo from `db`), then
 * lets the pure quotePrice decide. A pricing refusal becomes a 422 naming the field.
 */
export async function priceBooking(
  ctx: Pick<BookingContext, 'catalog' | 'rules'>,
  db: Queryable,
  userId: string,
  request: BookingRequest,
  at: Date,
  /** The tour when the caller fetched it already (outside its transaction: no remote call inside one). */
  fetched?: CatalogTour,
): Promise<PricedBooking> {
  const tour = fetched ?? (await ctx.catalog.getTour(request.tourId));
  if (!tour) throw unknownTour(request.tourId);
  const promo = request.promoCode ? await findPromo(db, request.promoCode, userId) : null;
  try {
    const quote = quotePrice({
      tour,
      travellers: request.travellers,
      country: request.country,
      promoCode: request.promoCode,
      promo,
      bookedAt: at,
      rules: ctx.rules,
    });
    return { tour, promo, quote };
  } catch (error) {
    if (error instanceof PricingError)
      throw unprocessable(error.reason, 'Cannot price this booking', error.field, error.message);
    throw error;
  }
}
