import type { SearchFilter } from './search.js';

/**
 * What a cached entry depends on, and what a write touches (the kit's scoped cache): a write
 * invalidates the entries of the scopes it names and no others.
 *
 * - `tour:<id>`: that tour's details.
 * - `search:dest:<destination>`: search pages filtered on that destination; a write to a tour
 *   touches its destination (both, when the destination changes).
 * - `search:all`: search pages without a destination filter, which any tour can appear on.
 */
export function tourDetailScopes(tourId: string): string[] {
  return [`tour:${tourId}`];
}

export function searchScopes(filter: Pick<SearchFilter, 'destination'>): string[] {
  return filter.destination === undefined ? ['search:all'] : [destinationScope(filter.destination)];
}

/** The scopes a write to tour `tourId` in `destinations` (before and after the write) changes. */
export function tourWriteScopes(tourId: string, ...destinations: string[]): string[] {
  const searches = new Set(destinations.map(destinationScope));
  return [...tourDetailScopes(tourId), 'search:all', ...searches];
}

/** Searches match destinations case-insensitively, so the scope does too. */
function destinationScope(destination: string): string {
  return `search:dest:${destination.toLowerCase()}`;
}
