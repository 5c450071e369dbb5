import { searchScopes } from '../domain/cache-scopes.js';
import { canonicalFilter, toPage, type SearchFilter } from '../domain/search.js';
import { toTourView } from '../domain/tour-view.js';
import type { CatalogContext } from './context.js';
import { cachedJson } from './tour-cache.js';

/** The traveller searches tours; the page comes as JSON (UTF-8): a cache hit is the stored bytes, sent without parsing them. */
export async function searchTours(ctx: CatalogContext, filter: SearchFilter): Promise<Buffer> {
  const key = `search:${canonicalFilter(filter)}`;
  const json = await cachedJson(ctx, searchScopes(filter), key, async (db) => {
    const { tours, total } = await ctx.tours.search(filter, db);
    return toPage(tours.map(toTourView), total, filter);
  });
  if (json === undefined) throw new Error('a search always has a page, if empty');
  return json;
}
