import { z } from 'zod';
import type { ServiceClient } from '@tourkit/kit';

const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullish(),
  country: z.string().nullish(),
});
export type DirectoryUser = z.output<typeof userSchema>;

const tourSchema = z.object({
  id: z.string(),
  title: z.string(),
  destination: z.string(),
  startsAt: z.string(),
  /** IANA zone of the departure (absent from an older catalog: the templates then say UTC). */
  timeZone: z.string().optional(),
  operatorEmail: z.string().nullish(),
});
export type DirectoryTour = z.output<typeof tourSchema>;

const upcomingSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      userId: z.string(),
      tourId: z.string(),
      tourStartsAt: z.string(),
      status: z.string(),
    }),
  ),
});
export type UpcomingBooking = z.output<typeof upcomingSchema>['items'][number];

/** What the worker reads from the other services (users, tours, upcoming bookings). */
export interface Directory {
  user(id: string): Promise<DirectoryUser>;
  tour(id: string): Promise<DirectoryTour>;
  upcomingBookings(within: string): Promise<UpcomingBooking[]>;
}

export function createDirectory(clients: {
  user: ServiceClient;
  catalog: ServiceClient;
  booking: ServiceClient;
}): Directory {
  return {
    user: (id) =>
      clients.user.get(`/internal/users/${encodeURIComponent(id)}`, { schema: userSchema }),
    tour: (id) =>
      clients.catalog.get(`/v1/tours/${encodeURIComponent(id)}`, { schema: tourSchema }),
    async upcomingBookings(within) {
      const body = await clients.booking.get('/internal/bookings/upcoming', {
        query: { within, limit: 1_000 },
        schema: upcomingSchema,
      });
      return body.items;
    },
  };
}
