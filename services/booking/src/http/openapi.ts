import { z } from 'zod';
import {
  commonResponses,
  jsonResponse,
  jsonBody,
  problem,
  security,
  serviceDocument,
  unavailable,
  type OpenApiDocument,
} from '@tourkit/kit/openapi';
import { BOOKING_STATUSES } from '../domain/booking.js';
import { STAFF_ACTIONS } from '../domain/saga.js';
import {
  bookingIdParams,
  bookingRequestSchema,
  internalListQuerySchema,
  listQuerySchema,
  staffActionSchema,
  staffListQuerySchema,
  upcomingQuerySchema,
} from './schemas.js';
import { paymentLinkBody, paymentLinkParams, paymentLinkQuery } from './payment-link-schema.js';
import { tourChangeBody, tourChangeParams } from './tour-change-schema.js';

// Booking's contract: the request schemas are the ones the routes parse with (schemas.ts), the
// response schemas below describe what domain/booking-view.ts and the use cases write.
// hack/openapi/generate.ts writes services/booking/openapi.yaml from `openapiDocument`.

const id = z.uuid();
const dateTime = z.iso.datetime({ offset: true });

export const bookingStatusSchema = z.enum(BOOKING_STATUSES).meta({
  id: 'BookingStatus',
  description: 'The booking saga\'s states (README, "The booking saga")',
});

const appliedRuleSchema = z
  .object({
    rule: z.enum(['season', 'promo', 'group', 'early-bird', 'vat']),
    detail: z.string(),
    amountCents: z
      .number()
      .int()
      .meta({ description: 'Signed effect: discounts negative, VAT positive' }),
  })
  .meta({ id: 'AppliedRule' });

const priceBreakdownSchema = z
  .object({
    unitPriceCents: z.number().int(),
    basePriceCents: z.number().int(),
    discountCents: z.number().int(),
    subtotalCents: z.number().int(),
    vatBasisPoints: z.number().int().meta({ description: '2000 = 20 %' }),
    taxCents: z.number().int(),
    totalCents: z.number().int(),
    currency: z.literal('EUR'),
    rulesApplied: z.array(appliedRuleSchema),
  })
  .meta({ id: 'PriceBreakdown', description: 'Money in integer cents (EUR)' });

const priceExample = {
  unitPriceCents: 12_000,
  basePriceCents: 24_000,
  discountCents: 0,
  subtotalCents: 24_000,
  vatBasisPoints: 2000,
  taxCents: 4800,
  totalCents: 28_800,
  currency: 'EUR',
  rulesApplied: [{ rule: 'vat', detail: 'VAT FR 20 %', amountCents: 4800 }],
};

export const quoteSchema = z
  .object({
    tourId: id,
    travellers: z.number().int(),
    country: z.string(),
    promoCode: z.string().nullable(),
    ...priceBreakdownSchema.shape,
  })
  .meta({
    id: 'Quote',
    examples: [
      {
        tourId: '6f1c1f57-5a0e-4b7e-9d43-0f5f4f7b1a10',
        travellers: 2,
        country: 'FR',
        promoCode: null,
        ...priceExample,
      },
    ],
  });

const bookingFields = {
  id,
  userId: id,
  tourId: id,
  travellers: z.number().int(),
  status: bookingStatusSchema,
  country: z.string(),
  promoCode: z.string().nullable(),
  price: priceBreakdownSchema,
  tourStartsAt: dateTime,
  createdAt: dateTime,
  updatedAt: dateTime,
  cancelledAt: dateTime.nullable(),
  expiresAt: dateTime
    .nullable()
    .meta({ description: 'When a pay-later reservation lets its seats go' }),
  requiresManualIntervention: z.boolean(),
  paymentId: id.nullable().meta({ description: 'Set once CONFIRMED' }),
  paymentAttempts: z.number().int().min(0),
  refundId: id.nullable().meta({ description: 'Set once a cancelled paid booking is refunded' }),
};

export const bookingSchema = z.object(bookingFields).meta({
  id: 'Booking',
  examples: [
    {
      id: '0b5c3c1e-2a43-4a8e-8f5e-3d6b1a2c9e01',
      userId: '9a7d1d8e-1f0b-4c55-a1f2-5e3b8c7d6a40',
      tourId: '6f1c1f57-5a0e-4b7e-9d43-0f5f4f7b1a10',
      travellers: 2,
      status: 'PENDING_PAYMENT',
      country: 'FR',
      promoCode: null,
      price: priceExample,
      tourStartsAt: '2027-06-01T07:00:00.000Z',
      createdAt: '2026-12-07T10:00:00.000Z',
      updatedAt: '2026-12-07T10:00:00.000Z',
      cancelledAt: null,
      expiresAt: null,
      requiresManualIntervention: false,
      paymentId: null,
      paymentAttempts: 0,
      refundId: null,
    },
  ],
});

const staffBookingSchema = z
  .object({
    ...bookingFields,
    statusChangedAt: dateTime,
    lastPaymentError: z.string().nullable(),
  })
  .meta({ id: 'StaffBooking', description: "The traveller's view plus why it waits" });

const internalBookingSchema = z
  .object({
    id,
    userId: id,
    tourId: id,
    travellers: z.number().int(),
    status: bookingStatusSchema,
    tourStartsAt: dateTime,
    createdAt: dateTime,
  })
  .meta({ id: 'InternalBooking' });

const paymentLinkViewSchema = z
  .object({
    bookingId: id,
    tourId: id,
    tourStartsAt: dateTime,
    travellers: z.number().int(),
    status: bookingStatusSchema,
    price: z.object({
      subtotalCents: z.number().int(),
      taxCents: z.number().int(),
      totalCents: z.number().int(),
      currency: z.literal('EUR'),
    }),
    expiresAt: dateTime.meta({ description: "The link's (and reservation's) expiry" }),
    used: z.boolean().meta({ description: 'The link paid already' }),
  })
  .meta({
    id: 'PaymentLinkView',
    description:
      'A reservation as its payment link shows it (nothing personal beyond what is paid)',
  });

const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });

const idempotencyKeyHeader = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/)
    .meta({
      description:
        'Any 1 to 255 printable ASCII characters, new for each booking; a retry sends the same key',
      example: 'b7f3c2e0-booking-1',
    }),
});

const createdHeaders = z.object({
  location: z.string().meta({ description: 'The booking, /v1/bookings/{id}' }),
  'idempotent-replayed': z
    .literal('true')
    .optional()
    .meta({ description: 'Present when the answer is the one stored for this key' }),
});

const { validationFailed, unauthorized, internalUnauthorized, notFound, upstream, forbidden } =
  commonResponses;
const cannotPrice = problem(
  'unknown-tour, unknown-promo, expired-promo, promo-already-used, tour-started, idempotency-key-reused; `errors` names the field (tourId, promoCode, Idempotency-Key)',
);
const notYours = problem('No such booking of yours (not-found)');
const notCancellable = problem(
  'conflict: the booking cannot take this step from its state (already cancelled, tour started, not payable)',
);
const paymentUnavailable = unavailable(
  'service-unavailable: payment is still unavailable (circuit open); nothing was spent, retry later',
);
const linkInvalid = problem(
  "payment-link-invalid: forged, tampered, another booking's token, or no such link (one answer for all); `errors` names `t`",
);
const noRoute = problem('No such route: an empty or malformed booking id in the path (not-found)');
const linkExpired = problem(
  "payment-link-expired (the reservation's expiry passed; `errors` names `t`), or gone (the reservation EXPIRED)",
);

const quoteOperation = (operationId: string, summary: string) => ({
  operationId,
  summary,
  security: security.bearer,
  requestBody: jsonBody(bookingRequestSchema),
  responses: {
    '200': jsonResponse('The price breakdown and the rules that applied', quoteSchema),
    '400': validationFailed,
    '401': unauthorized,
    '422': cannotPrice,
    '502': upstream,
    '504': upstream,
  },
});

export const openapiDocument = (): OpenApiDocument =>
  serviceDocument({
    service: 'booking',
    port: 8083,
    database: true,
    description:
      'Price quotes, bookings (idempotent creation, listing, cancellation, pay-later links), staff actions and the internal queries other services need. Money is integer cents (EUR); times are ISO-8601 UTC. Errors are application/problem+json (RFC 9457). Pricing rules and their order: see README.md.',
    paths: {
      '/v1/bookings/quote': {
        post: quoteOperation('quoteBooking', 'Price a booking without making it'),
      },
      '/v1/bookings/calculate-price': {
        post: quoteOperation('calculatePrice', "Alias of /v1/bookings/quote (the course's name)"),
      },
      '/v1/bookings': {
        post: {
          operationId: 'createBooking',
          summary: 'Book a tour, reserving the seats at catalog',
          description: `The booking is written RESERVING_SEATS, then catalog reserves the seats (outside any transaction, reference booking:<id>:reserve). With catalog's answer: 201 PENDING_PAYMENT (its payment runs on a queue: CONFIRMED with a confirmation e-mail, or PAYMENT_FAILED with \`requiresManualIntervention\` and a support alert), or RESERVED_PENDING_PAYMENT while the circuit breaker around payment is open (seats held until \`expiresAt\`, a payment link e-mailed); 409 not-enough-seats (the booking ends REJECTED, a promo is given back). Without an answer (catalog timed out or failed): 202 with the booking RESERVING_SEATS; poll GET /v1/bookings/{id} while the seat reconciler settles it.

Idempotent per (user, Idempotency-Key): the same key with the same body answers what is stored for it, which is always the latest outcome of the seat step (202 while unknown, then 201 or 409), with header \`Idempotent-Replayed: true\`; the same key with another body is refused with 422. A request refused before the booking is written (400, 422, catalog down while reading the tour) stores nothing, so the key can be retried.`,
          security: security.bearer,
          requestParams: { header: idempotencyKeyHeader },
          requestBody: jsonBody(bookingRequestSchema),
          responses: {
            '201': {
              ...jsonResponse('Booking created (or replayed)', bookingSchema),
              headers: createdHeaders,
            },
            '202': {
              ...jsonResponse(
                'Booking written, seat reservation outcome not known yet (RESERVING_SEATS)',
                bookingSchema,
              ),
              headers: createdHeaders,
            },
            '400': validationFailed,
            '401': unauthorized,
            '409': problem(
              'not-enough-seats (`errors` names travellers); the stored answer of the key',
            ),
            '422': cannotPrice,
            '502': upstream,
            '504': upstream,
          },
        },
        get: {
          operationId: 'listBookings',
          summary: "The caller's bookings, newest first",
          security: security.bearer,
          requestParams: { query: listQuerySchema },
          responses: {
            '200': jsonResponse('A page of bookings', page(bookingSchema)),
            '400': validationFailed,
            '401': unauthorized,
          },
        },
      },
      '/v1/bookings/{id}': {
        get: {
          operationId: 'getBooking',
          summary: "One of the caller's bookings (another user's booking is 404)",
          security: security.bearer,
          requestParams: { path: bookingIdParams },
          responses: {
            '200': jsonResponse('The booking', bookingSchema),
            '400': validationFailed,
            '401': unauthorized,
            '404': notYours,
          },
        },
      },
      '/v1/bookings/{id}/pay': {
        post: {
          operationId: 'payBooking',
          summary:
            'Pay a pay-later reservation, signed in (the e-mailed link uses /v1/payment-links)',
          description:
            "RESERVED_PENDING_PAYMENT → PENDING_PAYMENT, and the payment is queued. Calling it again while the payment runs changes nothing (202). Owner only (someone else's booking → 404).",
          security: security.bearer,
          requestParams: { path: bookingIdParams },
          responses: {
            '202': jsonResponse(
              'Payment queued; poll GET /v1/bookings/{id} for CONFIRMED or PAYMENT_FAILED',
              bookingSchema,
            ),
            '400': validationFailed,
            '401': unauthorized,
            '404': notYours,
            '409': notCancellable,
            '410': problem('gone: the reservation expired'),
            '503': paymentUnavailable,
          },
        },
      },
      '/v1/payment-links/{bookingId}': {
        get: {
          operationId: 'viewPaymentLink',
          summary:
            "What the e-mailed payment link's page shows (no bearer: the link's token is the authority)",
          description:
            "`t` is the token of `<PUBLIC_URL>/pay/<bookingId>?t=<token>`, an HMAC over the booking id, the reservation's expiry and a nonce booking keeps. A used link still answers (`used: true`) so the page can follow the payment to CONFIRMED. Answers carry `cache-control: no-store`.",
          security: security.none,
          requestParams: { path: paymentLinkParams, query: paymentLinkQuery },
          responses: {
            '200': jsonResponse("The reservation's summary", paymentLinkViewSchema),
            '400': validationFailed,
            '403': linkInvalid,
            '404': noRoute,
            '410': linkExpired,
          },
        },
      },
      '/v1/payment-links/{bookingId}/pay': {
        post: {
          operationId: 'payByPaymentLink',
          summary: 'Pay a reservation through its e-mailed link (no bearer; single use)',
          description:
            'RESERVED_PENDING_PAYMENT → PENDING_PAYMENT and the payment is queued, as POST /v1/bookings/{id}/pay; the link is spent in the same transaction.',
          security: security.none,
          requestParams: { path: paymentLinkParams },
          requestBody: jsonBody(paymentLinkBody),
          responses: {
            '202': jsonResponse(
              'Payment queued; poll GET /v1/payment-links/{bookingId}?t= for CONFIRMED or PAYMENT_FAILED',
              paymentLinkViewSchema,
            ),
            '400': validationFailed,
            '403': linkInvalid,
            '404': noRoute,
            '409': problem(
              'payment-link-used (`errors` names `t`): the link paid already; or conflict: the booking is no longer payable (cancelled, already being paid)',
            ),
            '410': linkExpired,
            '503': paymentUnavailable,
          },
        },
      },
      '/v1/bookings/{id}/cancel': {
        post: {
          operationId: 'cancelBooking',
          summary: "Cancel one of the caller's active bookings",
          description:
            'Releases the seats and a single-use promo code; a CONFIRMED booking is refunded (asynchronously, `refundId` set once done).',
          security: security.bearer,
          requestParams: { path: bookingIdParams },
          responses: {
            '200': jsonResponse('The cancelled booking', bookingSchema),
            '400': validationFailed,
            '401': unauthorized,
            '404': notYours,
            '409': notCancellable,
          },
        },
      },
      '/v1/admin/bookings': {
        get: {
          operationId: 'listBookingsForStaff',
          summary: 'Staff: bookings that need a person',
          description:
            'Token role `admin` or `support` (others → 403). Without `status`: bookings flagged for manual intervention and those whose outcome is still unknown (RESERVING_SEATS, PAYMENT_UNKNOWN), the longest-waiting first.',
          security: security.bearer,
          requestParams: {
            query: staffListQuerySchema.extend({
              status: staffListQuerySchema.shape.status.meta({
                description: `One status or several separated by | (e.g. PAYMENT_FAILED|PAYMENT_UNKNOWN), among ${BOOKING_STATUSES.join(', ')}`,
              }),
            }),
          },
          responses: {
            '200': jsonResponse(
              'A page of bookings, with why each waits',
              page(staffBookingSchema),
            ),
            '400': validationFailed,
            '401': unauthorized,
            '403': forbidden,
          },
        },
      },
      '/v1/admin/bookings/{id}/actions': {
        post: {
          operationId: 'actOnBooking',
          summary: `Staff: act on a booking (${STAFF_ACTIONS.join(', ')})`,
          description:
            "retry-payment: PAYMENT_UNKNOWN → PENDING_PAYMENT (same Idempotency-Key at payment, fresh attempt budget). cancel-and-release: RESERVING_SEATS, PENDING_PAYMENT, PAYMENT_UNKNOWN, RESERVED_PENDING_PAYMENT, CONFIRMED or PAYMENT_FAILED → CANCELLED, seats and promo given back, a captured charge refunded. mark-resolved: PAYMENT_FAILED keeps its status, the manual-intervention flag is cleared. Each action writes an audit row (who, when, action, reason, from → to) in the same transaction. Not allowed from the booking's state → 409 action-not-allowed naming `action`.",
          security: security.bearer,
          requestParams: { path: bookingIdParams },
          requestBody: jsonBody(staffActionSchema),
          responses: {
            '200': jsonResponse(
              'The booking after the action, and the audit row',
              z.object({
                booking: staffBookingSchema,
                audit: z.object({
                  bookingId: id,
                  actorId: z.string(),
                  action: z.enum(STAFF_ACTIONS),
                  reason: z.string(),
                  from: bookingStatusSchema,
                  to: bookingStatusSchema,
                  at: dateTime,
                }),
              }),
            ),
            '400': validationFailed,
            '401': unauthorized,
            '403': forbidden,
            '404': notFound,
            '409': problem("action-not-allowed from the booking's state (`errors` names action)"),
          },
        },
      },
      '/internal/bookings/upcoming': {
        get: {
          operationId: 'upcomingBookings',
          summary: 'Active bookings whose tour starts in (now, now + within]',
          security: security.internal,
          requestParams: {
            query: upcomingQuerySchema.extend({
              within: upcomingQuerySchema.shape.within.meta({
                description: 'Duration `<n>s|m|h|d`, at most 7d',
              }),
            }),
          },
          responses: {
            '200': jsonResponse(
              'Bookings, soonest first',
              z.object({ from: dateTime, until: dateTime, items: z.array(internalBookingSchema) }),
            ),
            '400': validationFailed,
            '401': internalUnauthorized,
          },
        },
      },
      '/internal/bookings': {
        get: {
          operationId: 'bookingsOfUserForTour',
          summary:
            "A user's bookings of a tour, any status (did this user book this tour, and when)",
          security: security.internal,
          requestParams: { query: internalListQuerySchema },
          responses: {
            '200': jsonResponse(
              'Bookings, oldest first',
              z.object({ items: z.array(internalBookingSchema) }),
            ),
            '400': validationFailed,
            '401': internalUnauthorized,
          },
        },
      },
      '/internal/tours/{tourId}/changed': {
        post: {
          operationId: 'tourChanged',
          summary:
            'Catalog tells booking a tour changed (start time, zone, cancellation); idempotent',
          description:
            'Active bookings of the tour take the new start time (their reminder follows), or are cancelled with the tour (CONFIRMED ones refunded through the outbox, single-use promo codes given back; seats need no release). Each traveller gets one tour-changed e-mail per change (dedupeKey tour-changed:<bookingId>:<startsAt>, tour-cancelled:<bookingId>). The same body twice is applied once.',
          security: security.internal,
          requestParams: { path: tourChangeParams },
          requestBody: jsonBody(tourChangeBody),
          responses: {
            '200': jsonResponse(
              'How many bookings this call changed (0 and 0 for a repeat)',
              z.object({
                rescheduled: z.number().int().min(0),
                cancelled: z.number().int().min(0),
              }),
            ),
            '400': validationFailed,
            '401': internalUnauthorized,
          },
        },
      },
    },
  });
