import type { CatalogContext } from './context.js';

/**
 * Reads are cached (cache-aside), writes invalidate.
 *
 * Every cache key embeds a generation number that each write increments. A write thus invalidates
 * every search page and detail at once with one INCR, and a read that loaded old rows while a write
 * committed stores them under the old generation, where nobody looks any more.
 */
const GENERATION_KEY = 'generation';

/** The JSON (UTF-8) of `loader`'s value under `key` in the current generation; undefined when the loader has none. */
export function cachedJson(
  ctx: CatalogContext,
  key: string,
  loader: () => Promise<unknown>,
): Promise<Buffer | undefined> {
  return ctx.cache.wrapGenerationalJson(GENERATION_KEY, key, ctx.ttlSeconds, loader);
}

/** Moves to a new generation after a committed write. */
export async function invalidateTours(ctx: CatalogContext): Promise<void> {
  if ((await ctx.cache.incr(GENERATION_KEY)) === undefined) {
    // The write is committed; entries cached before it expire within the TTL.
    ctx.logger.warn('cache invalidation failed; cached reads may be stale until they expire');
  }
}
