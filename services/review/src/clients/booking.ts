import { z } from 'zod';
import type { ServiceClient } from '@tourkit/kit';
import type { BookingSummary } from '../domain/eligibility.js';

const bookingsResponse = z.object({
  items: z.array(z.object({ id: z.string(), status: z.string(), tourStartsAt: z.coerce.date() })),
});

/** Every booking of `userId` for `tourId`, from booking's internal API. */
export async function bookingsOf(
  booking: ServiceClient,
  userId: string,
  tourId: string,
): Promise<BookingSummary[]> {
  const body = await booking.get('/internal/bookings', {
    query: { user: userId, tour: tourId },
    schema: bookingsResponse,
  });
  return body.items;
}
