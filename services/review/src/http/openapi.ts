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
import { createReviewSchema, listQuerySchema, tourIdParams } from './schemas.js';

// Review's contract: the request schemas are the ones the routes parse with (schemas.ts); the
// response schemas describe domain/review-view.ts and the rating use case.
// hack/openapi/generate.ts writes services/review/openapi.yaml from `openapiDocument`.

const reviewSchema = z
  .object({
    id: z.uuid(),
    tourId: z.uuid(),
    userId: z.uuid(),
    rating: z.number().int().min(1).max(5),
    comment: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({
    id: 'Review',
    examples: [
      {
        id: '3c2f4f8e-6a1b-4d2c-9e0f-1a2b3c4d5e6f',
        tourId: '6f1c1f57-5a0e-4b7e-9d43-0f5f4f7b1a10',
        userId: '9a7d1d8e-1f0b-4c55-a1f2-5e3b8c7d6a40',
        rating: 5,
        comment: 'Worth every step.',
        createdAt: '2027-06-02T18:00:00.000Z',
      },
    ],
  });

export const openapiDocument = (): OpenApiDocument =>
  serviceDocument({
    service: 'review',
    port: 8084,
    database: true,
    description:
      "Reviews and ratings of tours. A user may review a tour once, after it took place, and only with a CONFIRMED booking of it (checked with booking's internal API). Each new review updates catalog's average rating and notifies the tour operator through a transactional outbox: the review is saved even while catalog or notification is down, and its side effects are delivered (with retries) once they are back. Errors are RFC 9457 problem+json.",
    paths: {
      '/v1/tours/{tourId}/reviews': {
        post: {
          operationId: 'createReview',
          summary: 'Review a tour',
          security: security.bearer,
          requestParams: { path: tourIdParams },
          requestBody: jsonBody(createReviewSchema),
          responses: {
            '201': {
              ...jsonResponse(
                "The review; catalog's rating and the operator's notification follow asynchronously",
                reviewSchema,
              ),
              headers: z.object({
                location: z.string().meta({ description: '/v1/tours/{tourId}/reviews/{id}' }),
              }),
            },
            '400': commonResponses.validationFailed,
            '401': commonResponses.unauthorized,
            '403': {
              description:
                'not-eligible, with `reason`: `not-booked` (no booking of this tour), `not-confirmed` (bookings exist but none is CONFIRMED: PENDING_PAYMENT and RESERVED_PENDING_PAYMENT do not count), or `not-taken-place` (the confirmed tour has not started yet)',
              content: {
                'application/problem+json': {
                  schema: problemSchema.extend({
                    reason: z.enum(['not-booked', 'not-confirmed', 'not-taken-place']),
                  }),
                },
              },
            },
            '409': problem('The caller already reviewed this tour (already-reviewed)'),
            '502': problem('Booking could not be asked (eligibility cannot be checked)'),
            '504': problem('Booking did not answer in time (eligibility cannot be checked)'),
          },
        },
        get: {
          operationId: 'listReviews',
          summary: "A tour's reviews, newest first",
          security: security.none,
          requestParams: {
            path: tourIdParams,
            query: listQuerySchema.extend({
              cursor: listQuerySchema.shape.cursor.meta({
                description: '`nextCursor` of the previous page',
              }),
            }),
          },
          responses: {
            '200': jsonResponse(
              'A page of reviews (an unknown tour has none)',
              z.object({ items: z.array(reviewSchema), nextCursor: z.string().nullable() }),
            ),
            '400': commonResponses.validationFailed,
          },
        },
      },
      '/v1/tours/{tourId}/rating': {
        get: {
          operationId: 'getRating',
          summary: "A tour's average rating and number of reviews",
          security: security.none,
          requestParams: { path: tourIdParams },
          responses: {
            '200': jsonResponse(
              'The rating as this service computes it (the source catalog mirrors)',
              z.object({
                tourId: z.uuid(),
                average: z
                  .number()
                  .nullable()
                  .meta({ description: 'Two decimals; null without reviews' }),
                count: z.number().int(),
              }),
            ),
            '400': commonResponses.validationFailed,
          },
        },
      },
    },
  });
