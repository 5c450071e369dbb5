import type { BookingRequest } from '../domain/booking.js';
import type { PriceQuote } from '../domain/pricing/index.js';
import type { BookingContext } from './context.js';
import { priceBooking } from './price-booking.js';

/** The traveller asks what a booking would cost, without booking it. */
export async function quoteBooking(
  ctx: BookingContext,
  userId: string,
  request: BookingRequest,
): Promise<PriceQuote & { tourId: string }> {
  const { quote } = await priceBooking(ctx, ctx.pool, userId, request, ctx.now());
  return { tourId: request.tourId, ...quote };
}
