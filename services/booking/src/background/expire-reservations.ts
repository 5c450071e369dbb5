import type { Logger } from 'pino';
import { withTransaction, type Pool } from '@tourkit/kit';
import { seatRelease } from '../domain/outbox-messages.js';
import { expireOverdueReservations } from '../store/bookings.js';
import { addToOutbox } from '../store/outbox.js';
import { releasePromo } from '../store/promos.js';

export interface ExpiryDeps {
  pool: Pool;
  logger: Logger;
  now: () => Date;
  onBookingStatus: (status: string) => void;
  wakeOutbox: () => void;
}

/** Marks overdue pay-later reservations EXPIRED, gives back their promos and queues their seat releases. */
export async function expireReservations(deps: ExpiryDeps): Promise<number> {
  const expired = await withTransaction(deps.pool, async (tx) => {
    const bookings = await expireOverdueReservations(tx, deps.now(), 500);
    for (const booking of bookings) {
      await releasePromo(tx, booking.id);
      await addToOutbox(tx, seatRelease(booking));
    }
    return bookings;
  });
  for (const booking of expired) deps.onBookingStatus(booking.status);
  if (expired.length > 0) {
    deps.logger.info({ count: expired.length }, 'expired unpaid reservations');
    deps.wakeOutbox();
  }
  return expired.length;
}
