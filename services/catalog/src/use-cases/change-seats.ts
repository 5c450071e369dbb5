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
  if (result.kind === 'changed' && !result.replayed) await invalidateTours(ctx);
  return result;
}
