import { z } from 'zod';
import {
  commonResponses,
  jsonResponse,
  jsonBody,
  problem,
  problemSchema,
  security,
  serviceDocument,
  type OpenApiDocument,
} from '@tourkit/kit/openapi';
import { searchQuerySchema } from '../domain/search.js';
import {
  createTourSchema,
  patchTourSchema,
  ratingAddedSchema,
  ratingSummarySchema,
  seatMovementsQuerySchema,
  seatsChangeSchema,
  tourIdParams,
} from './schemas.js';

// Catalog's contract: the request schemas are the ones the routes parse with (schemas.ts,
// domain/search.ts); the response schemas describe the tour views the use cases write.
// hack/openapi/generate.ts writes services/catalog/openapi.yaml from `openapiDocument`.

const dateTime = z.iso.datetime({ offset: true });
const int = () => z.number().int();

const seasonSchema = z
  .object({
    name: z.string().meta({ examples: ['high', 'low'] }),
    from: z.iso.date(),
    until: z.iso.date().meta({ description: 'Inclusive' }),
    priceCents: int().min(0),
  })
  .meta({ id: 'Season' });

const tourSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    destination: z.string(),
    country: z.string(),
    description: z.string(),
    startsAt: dateTime,
    timeZone: z.string().meta({ description: 'IANA zone of the departure' }),
    status: z.enum(['SCHEDULED', 'CANCELLED']),
    cancelledAt: dateTime.nullable(),
    endsAt: dateTime,
    durationHours: int(),
    capacity: int(),
    bookedSeats: int(),
    availableSeats: int(),
    currency: z.literal('EUR'),
    priceCents: int().meta({ description: 'Base price per traveller' }),
    seasons: z.array(seasonSchema),
    effectivePriceCents: int().meta({
      description: 'Price per traveller on the departure date (season or base)',
    }),
    appliedSeason: z.string().nullable(),
    operatorEmail: z.email(),
    ratingAverage: z.number().nullable(),
    ratingCount: int(),
    updatedAt: dateTime,
  })
  .meta({
    id: 'Tour',
    examples: [
      {
        id: '6f1c1f57-5a0e-4b7e-9d43-0f5f4f7b1a10',
        title: 'Montmartre at dawn',
        destination: 'Paris',
        country: 'FR',
        description: 'A walk up the hill before the crowds.',
        startsAt: '2027-06-01T07:00:00.000Z',
        timeZone: 'Europe/Paris',
        status: 'SCHEDULED',
        cancelledAt: null,
        endsAt: '2027-06-01T10:00:00.000Z',
        durationHours: 3,
        capacity: 20,
        bookedSeats: 2,
        availableSeats: 18,
        currency: 'EUR',
        priceCents: 12_000,
        seasons: [],
        effectivePriceCents: 12_000,
        appliedSeason: null,
        operatorEmail: 'operator@example.com',
        ratingAverage: 4.5,
        ratingCount: 12,
        updatedAt: '2026-12-07T10:00:00.000Z',
      },
    ],
  });

const seatsSchema = z
  .object({
    tourId: z.uuid(),
    capacity: int(),
    bookedSeats: int(),
    availableSeats: int(),
  })
  .meta({ id: 'Seats' });

const ratingSchema = z
  .object({
    tourId: z.uuid(),
    ratingAverage: z.number().nullable(),
    ratingCount: int(),
  })
  .meta({ id: 'Rating' });

const { validationFailed, internalUnauthorized } = commonResponses;
const noSuchTour = problem('No such tour (not-found)');
const unauthorized = problem('Neither a valid bearer token nor the internal token (unauthorized)');
const forbidden = problem(
  "The token is not the tour's operator's (by operatorEmail) nor an admin's (forbidden)",
);
const operatorOrInternal = [...security.bearer, ...security.internal];

export const openapiDocument = (): OpenApiDocument =>
  serviceDocument({
    service: 'catalog',
    port: 8081,
    database: true,
    description:
      'Tours (one tour = one dated departure), search, details, availability, and the internal endpoints booking and review call. Money is integer cents (EUR); times are ISO-8601 UTC. Searches and details are cached in Redis (CACHE_TTL_SECONDS, default 300) and invalidated on every write. Errors are RFC 9457 problem+json.',
    paths: {
      '/v1/tours': {
        get: {
          operationId: 'searchTours',
          summary: 'Search tours',
          description:
            '`available`: true = seats left on a departure that has not started, false = sold out. `from`/`to`: departures from this date (YYYY-MM-DD) or date-time, up to this date (whole day) or date-time. `minPrice`/`maxPrice`: the applied price per traveller, in cents.',
          security: security.none,
          requestParams: { query: searchQuerySchema },
          responses: {
            '200': jsonResponse(
              'A page of tours, soonest departure first',
              z
                .object({
                  items: z.array(tourSchema),
                  page: int(),
                  pageSize: int(),
                  total: int(),
                  totalPages: int(),
                })
                .meta({ id: 'TourPage' }),
            ),
            '400': validationFailed,
          },
        },
        post: {
          operationId: 'createTour',
          summary: 'Create a tour (operator token or internal token)',
          security: operatorOrInternal,
          requestBody: jsonBody(
            createTourSchema.meta({
              id: 'TourDraft',
              description:
                "timeZone: the IANA zone the departure is stated in to travellers (default Europe/Paris); seasons must not overlap; an operator's token must carry operatorEmail",
            }),
          ),
          responses: {
            '201': {
              ...jsonResponse('Created', tourSchema),
              headers: z.object({ location: z.string().meta({ description: '/v1/tours/{id}' }) }),
            },
            '400': validationFailed,
            '401': unauthorized,
            '403': forbidden,
          },
        },
      },
      '/v1/tours/{id}': {
        get: {
          operationId: 'getTour',
          summary: 'Tour details, with the price that applies on its departure date',
          security: security.none,
          requestParams: { path: tourIdParams },
          responses: {
            '200': jsonResponse('The tour', tourSchema),
            '400': validationFailed,
            '404': noSuchTour,
          },
        },
        patch: {
          operationId: 'updateTour',
          summary: 'Change a tour (its operator, an admin, or the internal token)',
          security: operatorOrInternal,
          requestParams: { path: tourIdParams },
          requestBody: jsonBody(
            patchTourSchema.meta({
              id: 'TourPatch',
              description:
                'At least one field; seasons replaces all seasons; capacity not below bookedSeats (409)',
            }),
          ),
          responses: {
            '200': jsonResponse('The changed tour', tourSchema),
            '400': validationFailed,
            '401': unauthorized,
            '403': forbidden,
            '404': noSuchTour,
            '409': problem(
              'Capacity below the seats already booked, overlapping seasons, or a cancelled tour',
            ),
          },
        },
      },
      '/v1/tours/{id}/cancel': {
        post: {
          operationId: 'cancelTour',
          summary: 'Cancel a tour (its operator, an admin, or the internal token)',
          description:
            "The tour takes no more seats; booking is told through catalog's outbox and cancels (and refunds) its bookings. Cancelling a cancelled tour answers it as it is.",
          security: operatorOrInternal,
          requestParams: { path: tourIdParams },
          responses: {
            '200': jsonResponse('The cancelled tour', tourSchema),
            '400': validationFailed,
            '401': unauthorized,
            '403': forbidden,
            '404': noSuchTour,
          },
        },
      },
      '/v1/tours/{id}/availability': {
        get: {
          operationId: 'getAvailability',
          summary: 'Seats left on the tour',
          security: security.none,
          requestParams: { path: tourIdParams },
          responses: {
            '200': jsonResponse(
              'Availability',
              z
                .object({
                  tourId: z.uuid(),
                  startsAt: dateTime,
                  capacity: int(),
                  bookedSeats: int(),
                  availableSeats: int(),
                  available: z.boolean(),
                })
                .meta({ id: 'Availability' }),
            ),
            '400': validationFailed,
            '404': noSuchTour,
          },
        },
      },
      '/internal/tours/{id}/seats': {
        post: {
          operationId: 'changeSeats',
          summary: 'Reserve (delta > 0) or release (delta < 0) seats atomically',
          description:
            '`reference` makes the change idempotent: a retried call with the same reference is applied once (answered with `idempotent-replayed: true`).',
          security: security.internal,
          requestParams: { path: tourIdParams },
          requestBody: jsonBody(seatsChangeSchema),
          responses: {
            '200': jsonResponse(
              'Seats after the change (or, for a replayed reference, the current seats)',
              seatsSchema,
            ),
            '400': validationFailed,
            '401': internalUnauthorized,
            '404': noSuchTour,
            '409': {
              description:
                'Would exceed capacity (not-enough-seats), go below 0 (release-exceeds-booked), or reserve on a cancelled tour (tour-cancelled); carries the current seats',
              content: {
                'application/problem+json': {
                  schema: problemSchema.extend(seatsSchema.shape),
                },
              },
            },
            '422': problem(
              'The reference was already used for another tour or delta (seat-reference-reused)',
            ),
          },
        },
      },
      '/internal/seat-movements': {
        get: {
          operationId: 'listSeatMovements',
          summary:
            'The seat movements (changes made with a reference), in log order, for reconciliation',
          security: security.internal,
          requestParams: {
            query: seatMovementsQuerySchema.extend({
              after: seatMovementsQuerySchema.shape.after.meta({
                description: 'The `next` of the previous page (opaque); absent = from the start',
              }),
            }),
          },
          responses: {
            '200': jsonResponse(
              'Movements after the cursor. Movements of transactions still running are held back until every older transaction ended, so none ever appears behind a cursor already handed out. `next` is the cursor after the last item, null when nothing follows `after` yet (ask again later with the same `after`).',
              z.object({
                items: z.array(
                  z.object({
                    id: z.string().meta({ description: 'bigint as text' }),
                    tourId: z.uuid(),
                    delta: int(),
                    reference: z.string().meta({ example: 'booking:<id>:reserve' }),
                    createdAt: dateTime,
                  }),
                ),
                next: z.string().nullable(),
              }),
            ),
            '400': validationFailed,
            '401': internalUnauthorized,
          },
        },
      },
      '/internal/tours/{id}/ratings': {
        post: {
          operationId: 'addRating',
          summary: "Add one rating (1–5) to the tour's average, atomically",
          security: security.internal,
          requestParams: { path: tourIdParams },
          requestBody: jsonBody(ratingAddedSchema),
          responses: {
            '200': jsonResponse('The rating summary', ratingSchema),
            '400': validationFailed,
            '401': internalUnauthorized,
            '404': noSuchTour,
          },
        },
      },
      '/internal/tours/{id}/rating': {
        put: {
          operationId: 'setRating',
          summary: "Replace the rating summary with the review service's aggregate (idempotent)",
          description: '`average` is 0 when `count` is 0, else 1–5.',
          security: security.internal,
          requestParams: { path: tourIdParams },
          requestBody: jsonBody(ratingSummarySchema),
          responses: {
            '200': jsonResponse('The rating summary', ratingSchema),
            '400': validationFailed,
            '401': internalUnauthorized,
            '404': noSuchTour,
          },
        },
      },
    },
  });
