import { Router, type Request, type Response } from 'express';
import {
  PROBLEM_CONTENT_TYPE,
  currentUser,
  notFound,
  parseBody,
  parseParams,
  parseQuery,
  requireAuth,
  requireRole,
  requireIdempotencyKey,
  requireInternalToken,
  type TokenVerifier,
} from '@tourkit/kit';
import {
  auditView,
  bookingView,
  internalBookingView,
  staffBookingView,
} from '../domain/booking-view.js';
import { actOnBooking } from '../use-cases/act-on-booking.js';
import { applyTourChange } from '../use-cases/apply-tour-change.js';
import { listBookingsForStaff } from '../use-cases/list-bookings-for-staff.js';
import { cancelBooking } from '../use-cases/cancel-booking.js';
import type { BookingContext } from '../use-cases/context.js';
import { createBooking } from '../use-cases/create-booking.js';
import { getBooking } from '../use-cases/get-booking.js';
import { listBookings } from '../use-cases/list-bookings.js';
import { listUpcomingBookings } from '../use-cases/list-upcoming-bookings.js';
import { listUserTourBookings } from '../use-cases/list-user-tour-bookings.js';
import { payBooking } from '../use-cases/pay-booking.js';
import { payByPaymentLink } from '../use-cases/pay-by-payment-link.js';
import { quoteBooking } from '../use-cases/quote-booking.js';
import { viewPaymentLink } from '../use-cases/view-payment-link.js';
import {
  bookingIdParams,
  bookingRequest,
  internalListQuerySchema,
  listQuerySchema,
  STAFF_ROLES,
  staffActionSchema,
  staffListQuerySchema,
  upcomingQuerySchema,
} from './schemas.js';
import { paymentLinkBody, paymentLinkParams, paymentLinkQuery } from './payment-link-schema.js';
import { tourChangeBody, tourChangeParams } from './tour-change-schema.js';

export interface RouteDeps {
  ctx: BookingContext;
  verifier: TokenVerifier;
  internalToken: string;
  defaultCountry: string;
}

/** /v1 for travellers (bearer token), /internal for notification and review (internal token). */
export function bookingRoutes(deps: RouteDeps): Router {
  const router = Router();
  const { ctx } = deps;

  // The e-mailed pay-later link: no bearer token, the link's signed token `t` is the authority.
  const links = Router();
  links.get('/payment-links/:bookingId', async (req, res) => {
    const { bookingId } = parseParams(req, paymentLinkParams);
    const { t } = parseQuery(req, paymentLinkQuery);
    // The token is a credential: no shared cache may keep the page's data.
    res.setHeader('cache-control', 'no-store');
    res.json(await viewPaymentLink(ctx, bookingId, t));
  });
  links.post('/payment-links/:bookingId/pay', async (req, res) => {
    const { bookingId } = parseParams(req, paymentLinkParams);
    const { t } = parseBody(req, paymentLinkBody);
    res.setHeader('cache-control', 'no-store');
    res.status(202).json(await payByPaymentLink(ctx, bookingId, t));
  });
  // Any other path here is no route, not a 401 from /v1's requireAuth below: these paths promise
  // not to need a bearer token (the contract tests caught `/v1/payment-links//pay` answering 401).
  links.all('/payment-links{/*rest}', (req) => {
    throw notFound(`No route for ${req.method} ${req.path}.`);
  });

  const v1 = Router();
  v1.use(requireAuth(deps.verifier));

  const quote = async (req: Request, res: Response) => {
    const request = bookingRequest(req, deps.defaultCountry);
    res.json(await quoteBooking(ctx, currentUser(req).id, request));
  };
  v1.post('/bookings/quote', quote);
  // The course's name for the same operation (kept for its exercises' clients).
  v1.post('/bookings/calculate-price', quote);

  v1.post('/bookings', async (req, res) => {
    const key = requireIdempotencyKey(req);
    const request = bookingRequest(req, deps.defaultCountry);
    const result = await createBooking(ctx, currentUser(req).id, key, request);
    if (result.replayed) res.setHeader('idempotent-replayed', 'true');
    const body = result.body as { id?: string };
    if (body.id) res.setHeader('location', `/v1/bookings/${body.id}`);
    // A stored refusal (409 no seats) is a problem like any other.
    if (result.status >= 400) res.type(PROBLEM_CONTENT_TYPE);
    res.status(result.status).json(result.body);
  });

  v1.get('/bookings', async (req, res) => {
    const query = parseQuery(req, listQuerySchema);
    const { items, total } = await listBookings(ctx, {
      userId: currentUser(req).id,
      tourId: query.tour,
      status: query.status,
      limit: query.limit,
      offset: query.offset,
    });
    res.json({ items: items.map(bookingView), total, limit: query.limit, offset: query.offset });
  });

  v1.get('/bookings/:id', async (req, res) => {
    const { id } = parseParams(req, bookingIdParams);
    res.json(bookingView(await getBooking(ctx, currentUser(req).id, id)));
  });

  // The payment link e-mailed for a pay-later reservation.
  v1.post('/bookings/:id/pay', async (req, res) => {
    const { id } = parseParams(req, bookingIdParams);
    res.status(202).json(bookingView(await payBooking(ctx, currentUser(req).id, id)));
  });

  v1.post('/bookings/:id/cancel', async (req, res) => {
    const { id } = parseParams(req, bookingIdParams);
    res.json(bookingView(await cancelBooking(ctx, currentUser(req).id, id)));
  });

  // Staff: what needs a person, and the actions that settle it (README, "Staff").
  const admin = Router();
  admin.use(requireAuth(deps.verifier), requireRole(...STAFF_ROLES));

  admin.get('/bookings', async (req, res) => {
    const query = parseQuery(req, staffListQuerySchema);
    const { items, total } = await listBookingsForStaff(ctx, {
      statuses: query.status,
      limit: query.limit,
      offset: query.offset,
    });
    res.json({
      items: items.map(staffBookingView),
      total,
      limit: query.limit,
      offset: query.offset,
    });
  });

  admin.post('/bookings/:id/actions', async (req, res) => {
    const { id } = parseParams(req, bookingIdParams);
    const body = parseBody(req, staffActionSchema);
    const { booking, audit } = await actOnBooking(
      ctx,
      currentUser(req).id,
      id,
      body.action,
      body.reason,
    );
    res.json({ booking: staffBookingView(booking), audit: auditView(audit) });
  });

  const internal = Router();
  internal.use(requireInternalToken(deps.internalToken));

  internal.get('/bookings/upcoming', async (req, res) => {
    const query = parseQuery(req, upcomingQuerySchema);
    const { from, until, items } = await listUpcomingBookings(ctx, query.within, query.limit);
    res.json({
      from: from.toISOString(),
      until: until.toISOString(),
      items: items.map(internalBookingView),
    });
  });

  internal.get('/bookings', async (req, res) => {
    const query = parseQuery(req, internalListQuerySchema);
    const items = await listUserTourBookings(ctx, query.user, query.tour);
    res.json({ items: items.map(internalBookingView) });
  });

  // Catalog's outbox: a tour's start time, zone or status changed.
  internal.post('/tours/:tourId/changed', async (req, res) => {
    const { tourId } = parseParams(req, tourChangeParams);
    res.json(await applyTourChange(ctx, tourId, parseBody(req, tourChangeBody)));
  });

  // Before /v1's own router, whose requireAuth would answer first but without the role check.
  router.use('/v1/admin', admin);
  // Payment links carry their own authority (the signed token), so they come before requireAuth too.
  router.use('/v1', links);
  router.use('/v1', v1);
  router.use('/internal', internal);
  return router;
}
