import { tourWriteScopes } from '../domain/cache-scopes.js';
import type { TourDraft } from '../domain/tour.js';
import { toTourView, type TourView } from '../domain/tour-view.js';
import type { CatalogContext } from './context.js';
import { invalidateTours } from './tour-cache.js';

/** An operator (or a service) creates a tour. */
export async function createTour(ctx: CatalogContext, draft: TourDraft): Promise<TourView> {
  const tour = await ctx.tours.create(draft);
  await invalidateTours(ctx, tourWriteScopes(tour.id, tour.destination));
  return toTourView(tour);
}
