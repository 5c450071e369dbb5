import type { BookingStatus } from './booking.js';
import { SEAT_HOLDING_STATUSES } from './saga.js';

/** One row of catalog's GET /internal/seat-movements (contract of issue 12). */
export interface SeatMovement {
  id: string;
  tourId: string;
  delta: number;
  reference: string | null;
  createdAt: string;
}

export type SeatMovementEffect = {
  kind: 'reserve' | 'release';
  bookingId: string;
  tourId: string;
  seats: number;
  at: Date;
};

const BOOKING_REFERENCE =
  /^booking:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):(reserve|release)$/i;

/** What a movement says about a booking's seats; null for movements that are not a booking's. */
export function seatMovementEffect(movement: SeatMovement): SeatMovementEffect | null {
  const match = BOOKING_REFERENCE.exec(movement.reference ?? '');
  if (!match) return null;
  return {
    kind: match[2]!.toLowerCase() as 'reserve' | 'release',
    bookingId: match[1]!.toLowerCase(),
    tourId: movement.tourId,
    seats: Math.abs(movement.delta),
    at: new Date(movement.createdAt),
  };
}

/**
 * Whether seats catalog holds for a booking are held by no live booking, so they go back: the
 * booking does not exist, or it ended (REJECTED, EXPIRED, CANCELLED, PAYMENT_FAILED) without its
 * release reaching catalog. A booking still RESERVING_SEATS is the seat reconciler's, not this one's.
 */
export function holdIsOrphaned(bookingStatus: BookingStatus | null): boolean {
  if (bookingStatus === null) return true;
  if (bookingStatus === 'RESERVING_SEATS') return false;
  return !SEAT_HOLDING_STATUSES.includes(bookingStatus);
}
