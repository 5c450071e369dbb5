import type { Pool } from '@tourkit/kit';
import type { SeatMovement, SeatMovementCursor } from '../domain/seat-movement.js';

export interface SeatMovementPage {
  items: SeatMovement[];
  /** The cursor after the last item; null when the page is empty. */
  last: SeatMovementCursor | null;
}

/**
 * Up to `limit` movements after `after`, in log order, read on the primary (reconciliation compares
 * them with live bookings: a lagging replica would show seats as unheld). Only rows of transactions
 * older than every one still running are served, so a row never shows up behind a served cursor.
 */
export async function seatMovementsAfter(
  primary: Pool,
  after: SeatMovementCursor,
  limit: number,
): Promise<SeatMovementPage> {
  const { rows } = await primary.query<{
    id: string;
    xid: string;
    tour_id: string;
    delta: number;
    reference: string;
    created_at: Date;
  }>(
    `SELECT id::text, xid::text, tour_id, delta, reference, created_at
       FROM seat_movements
      WHERE (xid, id) > ($1::xid8, $2::bigint)
        AND xid < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY xid, id
      LIMIT $3`,
    [after.xid, after.id, limit],
  );
  const tail = rows.at(-1);
  return {
    items: rows.map((row) => ({
      id: row.id,
      tourId: row.tour_id,
      delta: row.delta,
      reference: row.reference,
      createdAt: row.created_at,
    })),
    last: tail ? { xid: tail.xid, id: tail.id } : null,
  };
}
