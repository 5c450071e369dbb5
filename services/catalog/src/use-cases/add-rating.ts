import { tourWriteScopes } from '../domain/cache-scopes.js';
import type { RatingSummary } from '../store/tours.js';
import type { CatalogContext } from './context.js';
import { invalidateTours } from './tour-cache.js';

/** Review adds one rating to a tour's average; null when there is no such tour. */
export async function addRating(
  ctx: CatalogContext,
  id: string,
  rating: number,
): Promise<RatingSummary | null> {
  const result = await ctx.tours.addRating(id, rating);
  if (result) await invalidateTours(ctx, tourWriteScopes(id, result.destination));
  return result;
}
