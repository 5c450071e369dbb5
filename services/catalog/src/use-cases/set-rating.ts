import { tourWriteScopes } from '../domain/cache-scopes.js';
import type { RatingSummary } from '../store/tours.js';
import type { CatalogContext } from './context.js';
import { invalidateTours } from './tour-cache.js';

/** Review sets a tour's rating summary from its own aggregate (idempotent); null when there is no such tour. */
export async function setRating(
  ctx: CatalogContext,
  id: string,
  average: number,
  count: number,
): Promise<RatingSummary | null> {
  const result = await ctx.tours.setRating(id, average, count);
  if (result) await invalidateTours(ctx, tourWriteScopes(id, result.destination));
  return result;
}
