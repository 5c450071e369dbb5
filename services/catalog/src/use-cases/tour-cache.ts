import type { Reader } from '../store/tours.js';
import type { CatalogContext } from './context.js';

/**
 * Reads are cached (cache-aside) in the kit's scoped cache; writes invalidate only the scopes they
 * touch (src/domain/cache-scopes.ts).
 *
 * Freshness across replicas: a write records the primary's WAL position after its commit in the
 * scopes it touches; a miss loads from a read replica only if that replica has replayed at least
 * that far, else from the primary. So a catalog pod never re-fills the cache with rows older than
 * the last write, however far its replica lags.
 */
export function cachedJson(
  ctx: CatalogContext,
  scopes: readonly string[],
  key: string,
  loader: (db: Reader) => Promise<unknown>,
): Promise<Buffer | undefined> {
  return ctx.cache.wrapScopedJson(scopes, key, ctx.ttlSeconds, (minLsn) =>
    ctx.tours.readAtLeast(minLsn, loader),
  );
}

/** After a committed write: the entries of `scopes` are no longer served, and refills must be this fresh. */
export async function invalidateTours(
  ctx: CatalogContext,
  scopes: readonly string[],
): Promise<void> {
  let lsn: number;
  try {
    lsn = await ctx.tours.walPosition();
  } catch (error) {
    // The write is committed; without its position the refill may come from a lagging replica.
    ctx.logger.warn({ err: error }, 'WAL position unknown after a write; invalidating anyway');
    lsn = 0;
  }
  if (!(await ctx.cache.bumpScopes(scopes, lsn))) {
    // The write is committed; entries cached before it expire within the TTL.
    ctx.logger.warn(
      { scopes },
      'cache invalidation failed; cached reads may be stale until they expire',
    );
  }
}
