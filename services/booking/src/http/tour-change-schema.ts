import { z } from 'zod';
import type { TourChange } from '../domain/tour-change.js';

export const tourChangeParams = z.object({ tourId: z.uuid('must be a tour id (UUID)') });

/** Catalog's body (the contract); the zone is checked the way the e-mails will use it. */
export const tourChangeBody = z
  .strictObject({
    startsAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO-8601 date-time' })
      .transform((s) => new Date(s)),
    status: z.enum(['SCHEDULED', 'CANCELLED']),
    timeZone: z
      .string()
      .max(64)
      .refine(isTimeZone, 'must be an IANA time zone (e.g. Europe/Paris)'),
  })
  .transform((body): TourChange => body);

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
