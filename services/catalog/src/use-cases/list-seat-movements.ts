import {
  formatCursor,
  type SeatMovement,
  type SeatMovementCursor,
} from '../domain/seat-movement.js';
import { seatMovementsAfter } from '../store/seat-movements.js';
import type { CatalogContext } from './context.js';

export interface SeatMovementsPage {
  items: SeatMovement[];
  /** Pass as `after` for the next page; null when nothing follows `after` yet (ask again later with the same `after`). */
  next: string | null;
}

/** Reconciliation (booking) reads the seat movements after its cursor. */
export async function listSeatMovements(
  ctx: CatalogContext,
  after: SeatMovementCursor,
  limit: number,
): Promise<SeatMovementsPage> {
  const page = await seatMovementsAfter(ctx.primary, after, limit);
  return { items: page.items, next: page.last ? formatCursor(page.last) : null };
}
