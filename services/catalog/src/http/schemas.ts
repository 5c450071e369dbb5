import { z } from 'zod';
import { countryCode } from '@tourkit/kit';
import { LOG_START, parseCursor } from '../domain/seat-movement.js';
import { DEFAULT_TIME_ZONE, canonicalTimeZone } from '../domain/time-zone.js';
import { overlappingSeasons, type TourDraft, type TourPatch } from '../domain/tour.js';

const MAX_PRICE_CENTS = 100_000_000;

const cents = z.number().int('must be a whole number of cents').min(0).max(MAX_PRICE_CENTS);

const seasonSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(50),
    from: z.iso.date('must be a date (YYYY-MM-DD)'),
    until: z.iso.date('must be a date (YYYY-MM-DD)'),
    priceCents: cents,
  })
  .superRefine((season, ctx) => {
    if (season.from > season.until) {
      ctx.addIssue({
        code: 'custom',
        path: ['until'],
        message: 'must not be before from',
        input: season.until,
      });
    }
  });

const seasonsSchema = z
  .array(seasonSchema)
  .max(24)
  .superRefine((seasons, ctx) => {
    for (const [, second] of overlappingSeasons(seasons)) {
      ctx.addIssue({
        code: 'custom',
        path: [second, 'from'],
        message: 'overlaps another season',
        input: seasons,
      });
    }
  });

const tourFields = {
  title: z.string().trim().min(1).max(200),
  destination: z.string().trim().min(1).max(100),
  country: countryCode,
  description: z.string().max(5000),
  startsAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO-8601 date-time' })
    .transform((s) => new Date(s)),
  timeZone: z.string().transform((name, ctx) => {
    const zone = canonicalTimeZone(name);
    if (zone === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an IANA time zone (e.g. Europe/Paris)',
        input: name,
      });
      return z.NEVER;
    }
    return zone;
  }),
  durationHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  capacity: z.number().int().min(0).max(100_000),
  priceCents: cents,
  seasons: seasonsSchema,
  operatorEmail: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
};

export const createTourSchema = z
  .strictObject({
    ...tourFields,
    description: tourFields.description.default(''),
    timeZone: tourFields.timeZone.default(DEFAULT_TIME_ZONE),
    seasons: tourFields.seasons.default([]),
  })
  .transform((body): TourDraft => body);

export const patchTourSchema = z
  .strictObject({
    title: tourFields.title.optional(),
    destination: tourFields.destination.optional(),
    country: tourFields.country.optional(),
    description: tourFields.description.optional(),
    startsAt: tourFields.startsAt.optional(),
    timeZone: tourFields.timeZone.optional(),
    durationHours: tourFields.durationHours.optional(),
    capacity: tourFields.capacity.optional(),
    priceCents: tourFields.priceCents.optional(),
    seasons: tourFields.seasons.optional(),
    operatorEmail: tourFields.operatorEmail.optional(),
  })
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), {
    message: 'must change at least one field',
  })
  .transform((patch): TourPatch => patch);

export const tourIdParams = z.object({ id: z.uuid('must be a tour id (UUID)') });

export const seatsChangeSchema = z.strictObject({
  delta: z
    .number()
    .int()
    .min(-100_000)
    .max(100_000)
    .refine((d) => d !== 0, 'must not be 0'),
  /** Makes the change idempotent: a retried call with the same reference is applied once. */
  reference: z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1 to 200 visible ASCII characters')
    .optional(),
});

export const ratingAddedSchema = z.strictObject({ rating: z.number().int().min(1).max(5) });

export const ratingSummarySchema = z
  .strictObject({
    average: z.number().min(0).max(5),
    count: z.number().int().min(0).max(100_000_000),
  })
  .superRefine((summary, ctx) => {
    if (summary.count === 0 && summary.average !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['average'],
        message: 'must be 0 when count is 0',
        input: summary.average,
      });
    } else if (summary.count > 0 && summary.average < 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['average'],
        message: 'must be between 1 and 5 when count > 0',
        input: summary.average,
      });
    }
  });

export const seatMovementsQuerySchema = z.strictObject({
  /** `next` of the previous page; absent: from the start of the log. */
  after: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return LOG_START;
      const cursor = parseCursor(text);
      if (cursor === null) {
        ctx.addIssue({ code: 'custom', message: 'must be a cursor returned as next', input: text });
        return z.NEVER;
      }
      return cursor;
    }),
  limit: z
    .string()
    .regex(/^\d{1,6}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000))
    .default(100),
});
