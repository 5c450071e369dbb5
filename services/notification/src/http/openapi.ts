import { z } from 'zod';
import {
  commonResponses,
  jsonResponse,
  problem,
  security,
  serviceDocument,
  type OpenApiDocument,
} from '@tourkit/kit/openapi';
import { notificationRequestSchema } from '../domain/notification.js';

// Notification's contract (internal only): the request schema is the one the routes parse with
// (domain/notification.ts); the response schemas describe the submit result, the log row view
// (routes.ts) and the reminder sweep's counts.
// hack/openapi/generate.ts writes services/notification/openapi.yaml from `openapiDocument`.

const notificationSchema = z
  .object({
    id: z.uuid(),
    dedupeKey: z.string(),
    type: z.string(),
    recipient: z.string().nullable(),
    status: z.enum(['queued', 'sending', 'sent', 'failed']),
    attempts: z.number().int().meta({ description: 'SMTP attempts made' }),
    messageId: z.string().nullable().meta({ description: 'Deterministic, derived from dedupeKey' }),
    lastError: z.string().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    sentAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'Notification' });

const { validationFailed, internalUnauthorized } = commonResponses;

export const openapiDocument = (): OpenApiDocument =>
  serviceDocument({
    service: 'notification',
    port: 8086,
    database: true,
    description:
      'E-mail notifications (booking confirmations, payment links, support alerts, review notices, 24 h reminders, tour changes) through a Postgres outbox and a BullMQ queue, sent over SMTP. Internal only: every route needs the shared `x-internal-token`.',
    paths: {
      '/internal/notifications': {
        post: {
          operationId: 'submitNotification',
          summary: 'Accept a notification (delivered at most once per dedupeKey)',
          description:
            "booking-confirmed and payment-link need userId or email; review-posted needs tourId or email (the tour's operatorEmail receives it); reminder needs userId and tourId; tour-changed needs userId or email, data.startsAt and data.status; support-alert goes to SUPPORT_EMAIL unless email is given. `data` per type: booking-confirmed `totalCents`; payment-link `paymentLink` (required, http(s) URL) and `expiresAt`; support-alert `reason` plus any detail; review-posted `rating`, `comment`; tour-changed `status` (SCHEDULED or CANCELLED, required), `startsAt` (required), `previousStartsAt`, `timeZone` (IANA).",
          security: security.internal,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: notificationRequestSchema.meta({ id: 'NotificationRequest' }),
                examples: {
                  confirmation: {
                    value: {
                      type: 'booking-confirmed',
                      dedupeKey: 'booking-confirmed:0b6c7d1e-8f0a-4c5b-9d7e-2f3a4b5c6d7e',
                      userId: '5a1f0c2e-3b4d-4e5f-8a6b-7c8d9e0f1a2b',
                      tourId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
                      bookingId: '0b6c7d1e-8f0a-4c5b-9d7e-2f3a4b5c6d7e',
                      data: { totalCents: 12345 },
                    },
                  },
                },
              },
            },
          },
          responses: {
            '202': jsonResponse(
              'Stored and queued, or a notification with that dedupeKey already exists',
              z.object({ id: z.uuid(), status: z.enum(['queued', 'duplicate']) }),
            ),
            '400': validationFailed,
            '401': internalUnauthorized,
          },
        },
      },
      '/internal/notifications/{id}': {
        get: {
          operationId: 'getNotification',
          summary: "A notification's log row",
          security: security.internal,
          requestParams: { path: z.object({ id: z.uuid() }) },
          responses: {
            '200': jsonResponse('The row', notificationSchema),
            '400': validationFailed,
            '401': internalUnauthorized,
            '404': problem('No such notification (not-found)'),
          },
        },
      },
      '/internal/jobs/reminders/run': {
        post: {
          operationId: 'runReminders',
          summary: 'Run the reminder sweep now (the same job the hourly scheduler runs)',
          security: security.internal,
          responses: {
            '200': jsonResponse(
              'Bookings found starting within REMINDER_WINDOW, reminders queued, duplicates skipped',
              z.object({
                bookings: z.number().int(),
                queued: z.number().int(),
                duplicates: z.number().int(),
              }),
            ),
            '401': internalUnauthorized,
            '502': problem(
              'Booking could not be asked for the upcoming bookings (upstream-failed)',
            ),
            '504': problem('Booking did not answer in time (upstream-timeout)'),
          },
        },
      },
    },
  });
