import { Router, type Request, type RequestHandler, type Response } from 'express';
import {
  HttpProblem,
  conflict,
  forbidden,
  notFound,
  parseBody,
  parseParams,
  parseQuery,
  requireAuth,
  requireInternalToken,
  requireRole,
  type TokenVerifier,
} from '@tourkit/kit';
import { searchQuerySchema } from '../domain/search.js';
import { availableSeats, ratingAverage } from '../domain/tour.js';
import { toAvailabilityView, type TourView } from '../domain/tour-view.js';
import type { RatingSummary } from '../store/tours.js';
import { addRating } from '../use-cases/add-rating.js';
import { cancelTour } from '../use-cases/cancel-tour.js';
import { changeSeats } from '../use-cases/change-seats.js';
import type { CatalogContext } from '../use-cases/context.js';
import { createTour } from '../use-cases/create-tour.js';
import { getTourJson } from '../use-cases/get-tour.js';
import { listSeatMovements } from '../use-cases/list-seat-movements.js';
import { searchTours } from '../use-cases/search-tours.js';
import { setRating } from '../use-cases/set-rating.js';
import { updateTour } from '../use-cases/update-tour.js';
import {
  createTourSchema,
  patchTourSchema,
  ratingAddedSchema,
  ratingSummarySchema,
  seatMovementsQuerySchema,
  seatsChangeSchema,
  tourIdParams,
} from './schemas.js';

export interface CatalogRoutesOptions {
  catalog: CatalogContext;
  verifier: TokenVerifier;
  internalToken: string;
  now?: () => Date;
}

/** Roles that may manage any operator's tours. */
const ADMIN_ROLES = ['admin'];

export function catalogRoutes({
  catalog,
  verifier,
  internalToken,
  now = () => new Date(),
}: CatalogRoutesOptions): Router {
  const router = Router();
  const internalOnly = requireInternalToken(internalToken);
  const operatorOrInternal = operatorOrInternalToken(verifier, internalOnly);

  router.get('/v1/tours', async (req, res) => {
    sendJsonText(res, await searchTours(catalog, parseQuery(req, searchQuerySchema)));
  });

  router.get('/v1/tours/:id', async (req, res) => {
    const { id } = parseParams(req, tourIdParams);
    const json = await getTourJson(catalog, id);
    if (json === null) throw tourNotFound(id);
    sendJsonText(res, json);
  });

  router.get('/v1/tours/:id/availability', async (req, res) => {
    const { id } = parseParams(req, tourIdParams);
    res.json(toAvailabilityView(await findTour(catalog, id), now()));
  });

  router.post('/v1/tours', operatorOrInternal, async (req, res) => {
    const draft = parseBody(req, createTourSchema);
    const owner = restrictedOperatorEmail(req);
    if (owner !== undefined && draft.operatorEmail !== owner) {
      throw forbidden(
        'Operators create tours under their own e-mail (operatorEmail must match your account).',
      );
    }
    const tour = await createTour(catalog, draft);
    res.status(201).location(`/v1/tours/${tour.id}`).json(tour);
  });

  router.patch('/v1/tours/:id', operatorOrInternal, async (req, res) => {
    const { id } = parseParams(req, tourIdParams);
    const patch = parseBody(req, patchTourSchema);
    const owner = restrictedOperatorEmail(req);
    if (owner !== undefined && patch.operatorEmail !== undefined && patch.operatorEmail !== owner) {
      throw forbidden('Operators cannot hand a tour over to another operator.');
    }
    const result = await updateTour(catalog, id, patch, owner);
    switch (result.kind) {
      case 'not-found':
        throw tourNotFound(id);
      case 'not-owner':
        throw forbidden('This tour belongs to another operator.');
      case 'conflict':
        throw conflict(`The change is inconsistent: ${result.detail}.`);
      case 'updated': {
        const tour = await findTour(catalog, id);
        res.json(tour);
      }
    }
  });

  router.post('/v1/tours/:id/cancel', operatorOrInternal, async (req, res) => {
    const { id } = parseParams(req, tourIdParams);
    const result = await cancelTour(catalog, id, restrictedOperatorEmail(req));
    if (result.kind === 'not-found') throw tourNotFound(id);
    if (result.kind === 'not-owner') throw forbidden('This tour belongs to another operator.');
    res.json(await findTour(catalog, id));
  });

  router.post('/internal/tours/:id/seats', internalOnly, async (req, res) => {
    const { id } = parseParams(req, tourIdParams);
    const { delta, reference } = parseBody(req, seatsChangeSchema);
    const result = await changeSeats(catalog, id, delta, reference);
    if (result.kind === 'not-found') throw tourNotFound(id);
    if (result.kind === 'reference-reused') {
      throw new HttpProblem(422, 'seat-reference-reused', 'Seat change reference reused', {
        detail: `reference ${reference} was already used for a change of ${result.delta} seats on tour ${result.tourId}`,
        errors: [{ field: 'reference', message: 'already used for a different seat change' }],
      });
    }
    if (result.kind === 'changed' && result.replayed) res.setHeader('idempotent-replayed', 'true');
    const seats = {
      tourId: id,
      capacity: result.capacity,
      bookedSeats: result.bookedSeats,
      availableSeats: availableSeats(result),
    };
    if (result.kind === 'rejected') {
      const { title, detail } = {
        'not-enough-seats': {
          title: 'Not enough seats',
          detail: `Cannot reserve ${delta} seats: ${seats.availableSeats} left.`,
        },
        'release-exceeds-booked': {
          title: 'Release exceeds booked seats',
          detail: `Cannot release ${-delta} seats: ${seats.bookedSeats} booked.`,
        },
        'tour-cancelled': {
          title: 'Tour cancelled',
          detail: 'The tour is cancelled: it takes no more seats.',
        },
      }[result.reason];
      throw new HttpProblem(409, result.reason, title, { detail, extensions: seats });
    }
    res.json(seats);
  });

  router.get('/internal/seat-movements', internalOnly, async (req, res) => {
    const { after, limit } = parseQuery(req, seatMovementsQuerySchema);
    const page = await listSeatMovements(catalog, after, limit);
    res.json({
      items: page.items.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
      next: page.next,
    });
  });

  router.post('/internal/tours/:id/ratings', internalOnly, async (req, res) => {
    const { id } = parseParams(req, tourIdParams);
    const { rating } = parseBody(req, ratingAddedSchema);
    res.json(ratingView(id, await addRating(catalog, id, rating)));
  });

  router.put('/internal/tours/:id/rating', internalOnly, async (req, res) => {
    const { id } = parseParams(req, tourIdParams);
    const { average, count } = parseBody(req, ratingSummarySchema);
    res.json(ratingView(id, await setRating(catalog, id, average, count)));
  });

  return router;
}

/** What `res.json` sends (same content type, ETag), for a body that is UTF-8 JSON already. */
/**
 * ETags of sent pages by their bytes: a hit in the cache's local tier is the same Buffer each time,
 * so it is hashed once rather than on every request (express skips its own when one is set).
 */
const etags = new WeakMap<Buffer, string>();

function sendJsonText(res: Response, json: Buffer): void {
  const generate = res.app.get('etag fn') as ((body: Buffer) => string | undefined) | undefined;
  if (generate) {
    let tag = etags.get(json);
    if (tag === undefined) {
      tag = generate(json);
      if (tag !== undefined) etags.set(json, tag);
    }
    if (tag !== undefined) res.setHeader('etag', tag);
  }
  res.type('application/json; charset=utf-8').send(json);
}

/** The tour as the traveller sees it, parsed, for a route that works with it. */
async function findTour(catalog: CatalogContext, id: string): Promise<TourView> {
  const json = await getTourJson(catalog, id);
  if (json === null) throw tourNotFound(id);
  return JSON.parse(json.toString()) as TourView;
}

function tourNotFound(id: string): HttpProblem {
  return notFound(`No tour with id ${id}.`);
}

function ratingView(id: string, summary: RatingSummary | null) {
  if (!summary) throw tourNotFound(id);
  return { tourId: id, ratingAverage: ratingAverage(summary), ratingCount: summary.ratingCount };
}

/** Services call with the internal token; people need a bearer token with the operator (or admin) role. */
function operatorOrInternalToken(
  verifier: TokenVerifier,
  internalOnly: RequestHandler,
): RequestHandler {
  const authenticate = requireAuth(verifier);
  const operatorRole = requireRole('operator', ...ADMIN_ROLES);
  return (req, res, next) => {
    if (req.get('x-internal-token') !== undefined) {
      internalOnly(req, res, next);
      return;
    }
    authenticate(req, res, (error?: unknown) =>
      error ? next(error) : operatorRole(req, res, next),
    );
  };
}

/** The e-mail an operator is limited to, or undefined for services and admins (no restriction). */
function restrictedOperatorEmail(req: Request): string | undefined {
  const user = req.user;
  if (!user || user.roles.some((role) => ADMIN_ROLES.includes(role))) return undefined;
  return user.email.toLowerCase();
}
