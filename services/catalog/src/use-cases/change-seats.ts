import { tourWriteScopes } from '../domain/cache-scopes.js';
import type { SeatChangeResult } from '../store/tours.js';
import type { CatalogContext } from './context.js';
import { invalidateTours } from './tour-cache.js';

/** Booking reserves (+) or releases (−) seats; a reference applies once, so a retry is a replay. */
export async function changeSeats(
  ctx: CatalogContext,
  id: string,
  delta: number,
  reference?: string,
): Promise<SeatChangeResult> {
  const result = await ctx.tours.changeSeats(id, delta, reference);
  // Only this tour's details and the searches it can appear on: other tours stay cached.
  if (result.kind === 'changed' && !result.replayed)
    await invalidateTours(ctx, tourWriteScopes(id, result.destination));
  return result;
}
