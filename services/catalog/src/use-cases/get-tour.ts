import { tourDetailScopes } from '../domain/cache-scopes.js';
import { toTourView } from '../domain/tour-view.js';
import type { CatalogContext } from './context.js';
import { cachedJson } from './tour-cache.js';

/** The traveller opens a tour: its JSON (UTF-8), or null when there is none (not cached: a 404 should not outlive a create). */
export async function getTourJson(ctx: CatalogContext, id: string): Promise<Buffer | null> {
  const json = await cachedJson(ctx, tourDetailScopes(id), `tour:${id}`, async (db) => {
    const tour = await ctx.tours.findById(id, db);
    return tour ? toTourView(tour) : undefined;
  });
  return json ?? null;
}
