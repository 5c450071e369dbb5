import type { BookingStatus } from '../domain/booking.js';
import { listBookingsForStaff as listForStaff } from '../store/bookings.js';
import type { BookingContext } from './context.js';

/** Staff list what needs a person: by status, or (no status) every flagged or still-unknown booking. */
export function listBookingsForStaff(
  ctx: BookingContext,
  filter: { statuses?: BookingStatus[] | undefined; limit: number; offset: number },
) {
  return listForStaff(ctx.pool, filter);
}
