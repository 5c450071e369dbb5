import type { Request } from 'express';
import { z } from 'zod';
import { countryCode, parseBody } from '@tourkit/kit';
import { BOOKING_STATUSES, parseDuration, type BookingRequest } from '../domain/booking.js';
import { STAFF_ACTIONS } from '../domain/saga.js';
import { MAX_TRAVELLERS } from '../domain/pricing/index.js';

export const uuid = z.uuid({ message: 'must be a UUID' });

export const bookingRequestSchema = z
  .strictObject({
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
    country: countryCode.optional().meta({
      description:
        "The traveller's ISO 3166-1 alpha-2 country (VAT), any case; defaults to the token's country claim, else DEFAULT_COUNTRY",
    }),
  })
  .meta({ id: 'BookingRequest' });

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

/** Who may use /v1/admin: a token with one of these roles (the user service writes `roles`). */
export const STAFF_ROLES = ['admin', 'support'] as const;

export const staffActionSchema = z.strictObject({
  action: z.enum(STAFF_ACTIONS, { message: `must be one of ${STAFF_ACTIONS.join(', ')}` }),
  reason: z
    .string({ message: 'must be a string' })
    .trim()
    .min(1, 'must say why')
    .max(1_000, 'must be at most 1000 characters')
    // Kept in the audit trail and shown to people: no control characters.
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
});

/** status: one status or several separated by | or , (e.g. PAYMENT_FAILED|PAYMENT_UNKNOWN). */
export const staffListQuerySchema = z.object({
  status: z
    .string()
    .transform((text, ctx) => {
      const parts = text.split(/[|,]/).map((part) => part.trim());
      const statuses = parts.filter((part): part is (typeof BOOKING_STATUSES)[number] =>
        (BOOKING_STATUSES as readonly string[]).includes(part),
      );
      if (statuses.length !== parts.length || statuses.length === 0) {
        ctx.addIssue({
          code: 'custom',
          message: `must be statuses among ${BOOKING_STATUSES.join(', ')}, separated by |`,
        });
        return z.NEVER;
      }
      return statuses;
    })
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
