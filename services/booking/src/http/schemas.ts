import type { Request } from 'express';
import { z } from 'zod';
import { countryCode, parseBody } from '@tourkit/kit';
import { BOOKING_STATUSES, parseDuration, type BookingRequest } from '../domain/booking.js';
import { MAX_TRAVELLERS } from '../domain/pricing/index.js';

export const uuid = z.uuid({ message: 'must be a UUID' });

export const bookingRequestSchema = z.strictObject({
  tourId: uuid,
  travellers: z
    .number({ message: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_TRAVELLERS, `must be at most ${MAX_TRAVELLERS}`),
  promoCode: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1 to 40 letters, digits, _ or -')
    .transform((code) => code.toUpperCase())
    .optional(),
  country: countryCode.optional(),
});

export const listQuerySchema = z.object({
  tour: uuid.optional(),
  status: z.enum(BOOKING_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

const MAX_UPCOMING_WINDOW_MS = 7 * 86_400_000;
export const upcomingQuerySchema = z.object({
  within: z
    .string()
    .default('24h')
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === null || ms <= 0 || ms > MAX_UPCOMING_WINDOW_MS) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a duration such as 24h, 90m or 2d, at most 7d',
        });
        return z.NEVER;
      }
      return ms;
    }),
  limit: z.coerce.number().int().min(1).max(1_000).default(500),
});

export const internalListQuerySchema = z.object({ user: uuid, tour: uuid });

export const bookingIdParams = z.object({ id: uuid });

/** The request a route works on; the traveller's country comes from the body, else the token, else the default. */
export function bookingRequest(req: Request, defaultCountry: string): BookingRequest {
  const body = parseBody(req, bookingRequestSchema);
  // The kit's verifier keeps the token's `country` claim only when it is an ISO code.
  const country = body.country ?? req.user?.country ?? defaultCountry;
  return {
    tourId: body.tourId.toLowerCase(),
    travellers: body.travellers,
    promoCode: body.promoCode,
    country,
  };
}
