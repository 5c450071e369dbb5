import { tourWriteScopes } from '../domain/cache-scopes.js';
import type { TourPatch } from '../domain/tour.js';
import type { UpdateResult } from '../store/tours.js';
import type { CatalogContext } from './context.js';
import { invalidateTours } from './tour-cache.js';

/** An operator changes a tour; `ownerEmail` limits it to their own tours (undefined: services and admins). */
export async function updateTour(
  ctx: CatalogContext,
  id: string,
  patch: TourPatch,
  ownerEmail?: string,
): Promise<UpdateResult> {
  const result = await ctx.tours.update(id, patch, ownerEmail);
  if (result.kind === 'updated') {
    const { tour, previous } = result;
    await invalidateTours(ctx, tourWriteScopes(id, previous.destination, tour.destination));
    if (result.bookingsTold) ctx.wakeOutbox();
  }
  return result;
}
