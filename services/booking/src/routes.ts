import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  countryCode,
  currentUser,
  parseBody,
  parseParams,
  parseQuery,
  requireAuth,
  requireIdempotencyKey,
  requireInternalToken,
  type Pool,
  type TokenVerifier,
} from '@tourkit/kit';
import {
  BOOKING_STATUSES,
  parseDuration,
  type Booking,
  type BookingRequest,
} from './domain/booking.js';
import { bookingView, type BookingService } from './booking-service.js';
import { MAX_TRAVELLERS } from './pricing/index.js';
import {
  bookingsOfUserForTour,
  bookingsStartingBetween,
  listBookings,
} from './repository/bookings.js';

export interface RouteDeps {
  pool: Pool;
  service: BookingService;
  verifier: TokenVerifier;
  internalToken: string;
  defaultCountry: string;
  now: () => Date;
}

const uuid = z.uuid({ message: 'must be a UUID' });

const bookingRequestSchema = z.strictObject({
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

const listQuerySchema = z.object({
  tour: uuid.optional(),
  status: z.enum(BOOKING_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

const MAX_UPCOMING_WINDOW_MS = 7 * 86_400_000;
const upcomingQuerySchema = z.object({
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

const internalListQuerySchema = z.object({ user: uuid, tour: uuid });

/** The request a route works on; the traveller's country comes from the body, else the token, else the default. */
function bookingRequest(req: Request, defaultCountry: string): BookingRequest {
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

function internalView(booking: Booking) {
  return {
    id: booking.id,
    userId: booking.userId,
    tourId: booking.tourId,
    travellers: booking.travellers,
    status: booking.status,
    tourStartsAt: booking.tourStartsAt.toISOString(),
    createdAt: booking.createdAt.toISOString(),
  };
}

export function bookingRoutes(deps: RouteDeps): Router {
  const router = Router();
  const { service, pool } = deps;

  const v1 = Router();
  v1.use(requireAuth(deps.verifier));

  const quote = async (req: Request, res: Response) => {
    const request = bookingRequest(req, deps.defaultCountry);
    res.json(await service.quote(currentUser(req).id, request));
  };
  v1.post('/bookings/quote', quote);
  // The seed's name for the same operation.
  v1.post('/bookings/calculate-price', quote);

  v1.post('/bookings', async (req, res) => {
    const key = requireIdempotencyKey(req);
    const request = bookingRequest(req, deps.defaultCountry);
    const result = await service.create(currentUser(req).id, key, request);
    if (result.replayed) res.setHeader('idempotent-replayed', 'true');
    const body = result.body as { id?: string };
    if (body.id) res.setHeader('location', `/v1/bookings/${body.id}`);
    res.status(result.status).json(result.body);
  });

  v1.get('/bookings', async (req, res) => {
    const query = parseQuery(req, listQuerySchema);
    const { items, total } = await listBookings(pool, {
      userId: currentUser(req).id,
      tourId: query.tour,
      status: query.status,
      limit: query.limit,
      offset: query.offset,
    });
    res.json({ items: items.map(bookingView), total, limit: query.limit, offset: query.offset });
  });

  v1.get('/bookings/:id', async (req, res) => {
    const { id } = parseParams(req, z.object({ id: uuid }));
    res.json(bookingView(await service.get(currentUser(req).id, id)));
  });

  // The payment link e-mailed for a pay-later reservation.
  v1.post('/bookings/:id/pay', async (req, res) => {
    const { id } = parseParams(req, z.object({ id: uuid }));
    res.status(202).json(bookingView(await service.pay(currentUser(req).id, id)));
  });

  v1.post('/bookings/:id/cancel', async (req, res) => {
    const { id } = parseParams(req, z.object({ id: uuid }));
    res.json(bookingView(await service.cancel(currentUser(req).id, id)));
  });

  const internal = Router();
  internal.use(requireInternalToken(deps.internalToken));

  internal.get('/bookings/upcoming', async (req, res) => {
    const query = parseQuery(req, upcomingQuerySchema);
    const from = deps.now();
    const until = new Date(from.getTime() + query.within);
    const items = await bookingsStartingBetween(pool, from, until, query.limit);
    res.json({
      from: from.toISOString(),
      until: until.toISOString(),
      items: items.map(internalView),
    });
  });

  internal.get('/bookings', async (req, res) => {
    const query = parseQuery(req, internalListQuerySchema);
    const items = await bookingsOfUserForTour(pool, query.user, query.tour);
    res.json({ items: items.map(internalView) });
  });

  router.use('/v1', v1);
  router.use('/internal', internal);
  return router;
}
