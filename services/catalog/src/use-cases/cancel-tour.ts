import { tourWriteScopes } from '../domain/cache-scopes.js';
import type { CancelResult } from '../store/tours.js';
import type { CatalogContext } from './context.js';
import { invalidateTours } from './tour-cache.js';

/**
 * An operator cancels a tour (`ownerEmail` limits it to their own; undefined: services and admins).
 * Booking is told through the outbox (its bookings are cancelled, paid ones refunded, travellers
 * e-mailed); seats need no release, since the tour takes none any more. Cancelling twice is a no-op.
 */
export async function cancelTour(
  ctx: CatalogContext,
  id: string,
  ownerEmail?: string,
): Promise<CancelResult> {
  const result = await ctx.tours.cancel(id, ownerEmail);
  if (result.kind === 'cancelled' && !result.already) {
    await invalidateTours(ctx, tourWriteScopes(id, result.tour.destination));
    ctx.wakeOutbox();
  }
  return result;
}
