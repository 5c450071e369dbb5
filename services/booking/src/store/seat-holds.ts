import type { BookingStatus } from '../domain/booking.js';
import type { SeatMovementEffect } from '../domain/seat-movements.js';
import type { Queryable } from './queryable.js';

export async function readCursor(db: Queryable, name: string): Promise<string | null> {
  const { rows } = await db.query<{ cursor: string }>(
    'SELECT cursor FROM reconciler_cursors WHERE name = $1',
    [name],
  );
  return rows[0]?.cursor ?? null;
}

export async function saveCursor(db: Queryable, name: string, cursor: string): Promise<void> {
  await db.query(
    `INSERT INTO reconciler_cursors (name, cursor) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET cursor = $2, updated_at = now()`,
    [name, cursor],
  );
}

/** Applies one movement of a booking's seats at catalog to the holds (a repeat changes nothing). */
export async function applySeatMovement(db: Queryable, effect: SeatMovementEffect): Promise<void> {
  if (effect.kind === 'reserve') {
    await db.query(
      `INSERT INTO catalog_seat_holds (booking_id, tour_id, seats, reserved_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT (booking_id) DO NOTHING`,
      [effect.bookingId, effect.tourId, effect.seats, effect.at],
    );
  } else {
    // A release may be read before its reserve was recorded here only if the log is out of order;
    // the row then starts released.
    await db.query(
      `INSERT INTO catalog_seat_holds (booking_id, tour_id, seats, reserved_at, released)
       VALUES ($1, $2, $3, $4, true)
       ON CONFLICT (booking_id) DO UPDATE SET released = true`,
      [effect.bookingId, effect.tourId, effect.seats, effect.at],
    );
  }
}

export interface OpenHold {
  bookingId: string;
  tourId: string;
  seats: number;
  /** null: no such booking. */
  bookingStatus: BookingStatus | null;
}

/** Holds catalog still has (not released) that are older than `before`, with their booking's status. */
export async function openHoldsBefore(
  db: Queryable,
  before: Date,
  limit: number,
): Promise<OpenHold[]> {
  const { rows } = await db.query<{
    booking_id: string;
    tour_id: string;
    seats: number;
    status: BookingStatus | null;
  }>(
    `SELECT h.booking_id, h.tour_id, h.seats, b.status
       FROM catalog_seat_holds h LEFT JOIN bookings b ON b.id = h.booking_id
      WHERE NOT h.released AND h.reserved_at < $1
      ORDER BY h.reserved_at LIMIT $2`,
    [before, limit],
  );
  return rows.map((row) => ({
    bookingId: row.booking_id,
    tourId: row.tour_id,
    seats: row.seats,
    bookingStatus: row.status,
  }));
}
