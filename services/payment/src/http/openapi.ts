import { z } from 'zod';
import {
  commonResponses,
  jsonResponse,
  jsonBody,
  problem,
  problemSchema,
  security,
  serviceDocument,
  unavailable,
  type OpenApiDocument,
} from '@tourkit/kit/openapi';
import { simulatorSettingsPatchSchema } from '../domain/simulator-settings.js';
import { chargeSchema, refundSchema, simulatorOperationsQuery, uuid } from './schemas.js';

// Payment's contract (internal only): the request schemas are the ones the routes parse with
// (schemas.ts, domain/simulator-settings.ts); the response schemas describe paymentView and
// refundView (routes.ts) and the simulator's settings.
// hack/openapi/generate.ts writes services/payment/openapi.yaml from `openapiDocument`.

const dateTime = z.iso.datetime({ offset: true });
const int = () => z.number().int();

const paymentSchema = z
  .object({
    id: z.uuid(),
    bookingId: z.uuid(),
    userId: z.uuid(),
    status: z.enum(['PENDING', 'SUCCEEDED', 'FAILED', 'DECLINED']).meta({
      description:
        'PENDING in flight or unknown (settled by the service); SUCCEEDED final; FAILED not carried out, retryable with the same key; DECLINED final',
    }),
    amountCents: int(),
    currency: z.literal('EUR'),
    refundedCents: int().meta({ description: 'Sum of the SUCCEEDED refunds' }),
    providerRef: z.string().nullable(),
    idempotencyKey: z.string().meta({ description: 'The Idempotency-Key it was charged under' }),
    attempts: int().meta({ description: 'Provider calls made for this key' }),
    lastError: z.string().nullable(),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({ id: 'Payment' });

const refundViewSchema = z
  .object({
    id: z.uuid(),
    paymentId: z.uuid(),
    status: z.enum(['PENDING', 'SUCCEEDED', 'FAILED']),
    amountCents: int(),
    providerRef: z.string().nullable(),
    idempotencyKey: z.string(),
    attempts: int(),
    lastError: z.string().nullable(),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({ id: 'Refund' });

const simulatorOperationSchema = z
  .object({
    kind: z.enum(['charge', 'refund']),
    idempotencyKey: z.string(),
    providerRef: z.string(),
    amountCents: int(),
    createdAt: dateTime,
  })
  .meta({ id: 'SimulatorOperation' });

const settingsSchema = z
  .object({
    failureRate: z.number().min(0).max(1),
    declineRate: z.number().min(0).max(1),
    latencyMs: int().min(0),
    outage: z.boolean(),
    loseResponseRate: z.number().min(0).max(1).meta({
      description: 'Share of calls carried out whose answer is lost (an unknown outcome)',
    }),
  })
  .meta({ id: 'SimulatorSettings' });

const idempotencyKey = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/)
    .meta({ description: 'The charge or refund is carried out once per key' }),
});
const paymentIdParams = z.object({ id: uuid });
const pendingHeaders = z.object({
  location: z.string(),
  'retry-after': z.string().meta({ description: 'Seconds' }),
});
const replayedHeaders = z.object({
  location: z.string().optional(),
  'idempotent-replayed': z.literal('true').optional(),
});

const { validationFailed, internalUnauthorized } = commonResponses;
const noSuchPayment = problem('No such payment (not-found)');
const keyReused = problem('The key was used with another body (idempotency-key-reused)');

export const openapiDocument = (): OpenApiDocument =>
  serviceDocument({
    service: 'payment',
    port: 8085,
    database: true,
    description:
      'Charges and refunds through a provider adapter (default: a local simulator with run-time fault injection). Internal only: every call needs `x-internal-token`. A charge or refund is carried out once per Idempotency-Key. SUCCEEDED and DECLINED are final; FAILED (the provider did not carry it out) is tried again by the next request with the same key; PENDING (in flight, or the outcome is unknown) is settled by the service itself, which asks the provider by the key (README, "States").',
    paths: {
      '/internal/payments': {
        post: {
          operationId: 'charge',
          summary: 'Charge a booking',
          security: security.internal,
          requestParams: { header: idempotencyKey },
          requestBody: jsonBody(chargeSchema),
          responses: {
            '201': {
              ...jsonResponse(
                'Charged, status SUCCEEDED (or replayed, header Idempotent-Replayed true)',
                paymentSchema,
              ),
              headers: replayedHeaders,
            },
            '202': {
              ...jsonResponse(
                "Status PENDING: the provider's outcome is unknown (no answer within PROVIDER_TIMEOUT_MS, answer lost), or another request with this key is still in flight after DUPLICATE_WAIT_MS. The service settles it itself (reconciler); ask again later (GET Location, or the same request and key), do not treat it as a failure.",
                paymentSchema,
              ),
              headers: pendingHeaders,
            },
            '400': validationFailed,
            '401': internalUnauthorized,
            '402': {
              description:
                'The provider declined the charge (payment-declined, extension paymentId). Final: the same key replays the decline and never calls the provider again.',
              content: {
                'application/problem+json': {
                  schema: problemSchema.extend({ paymentId: z.uuid() }),
                },
              },
            },
            '422': keyReused,
            '503': unavailable(
              'The provider did not carry out the charge (provider-unavailable; status FAILED); safe to retry with the same key',
            ),
          },
        },
        get: {
          operationId: 'listPayments',
          summary: "A booking's payments",
          security: security.internal,
          requestParams: { query: z.object({ bookingId: uuid }) },
          responses: {
            '200': jsonResponse(
              'Payments, oldest first',
              z.object({ items: z.array(paymentSchema) }),
            ),
            '400': validationFailed,
            '401': internalUnauthorized,
          },
        },
      },
      '/internal/payments/{id}': {
        get: {
          operationId: 'getPayment',
          summary: 'One payment',
          security: security.internal,
          requestParams: { path: paymentIdParams },
          responses: {
            '200': jsonResponse('The payment', paymentSchema),
            '400': validationFailed,
            '401': internalUnauthorized,
            '404': noSuchPayment,
          },
        },
      },
      '/internal/payments/{id}/refunds': {
        post: {
          operationId: 'refund',
          summary: 'Refund a payment (what is left of it unless amountCents says otherwise)',
          security: security.internal,
          requestParams: { path: paymentIdParams, header: idempotencyKey },
          requestBody: { content: { 'application/json': { schema: refundSchema } } },
          responses: {
            '201': {
              ...jsonResponse(
                'Refunded, status SUCCEEDED (or replayed, header Idempotent-Replayed true)',
                refundViewSchema,
              ),
              headers: replayedHeaders,
            },
            '202': {
              ...jsonResponse(
                'Status PENDING: the outcome is unknown (or in flight in another request). Its amount stays reserved against the capture; the service settles it itself.',
                refundViewSchema,
              ),
              headers: pendingHeaders,
            },
            '400': validationFailed,
            '401': internalUnauthorized,
            '404': noSuchPayment,
            '409': {
              description:
                'The payment did not succeed (conflict), or the refund exceeds what is left of the capture once refunds SUCCEEDED or PENDING are counted (refund-exceeds-capture, errors naming amountCents, extensions amountCents and refundableCents)',
              content: {
                'application/problem+json': {
                  schema: problemSchema.extend({
                    amountCents: int().optional(),
                    refundableCents: int().optional(),
                  }),
                },
              },
            },
            '422': keyReused,
            '503': unavailable(
              'The provider did not carry out the refund (provider-unavailable; status FAILED, its reservation given back); retry with the same key',
            ),
          },
        },
      },
      '/internal/simulator': {
        get: {
          operationId: 'getSimulator',
          summary: "The simulated provider's settings",
          security: security.internal,
          responses: {
            '200': jsonResponse('Settings in force', settingsSchema),
            '401': internalUnauthorized,
            '404': problem('No simulator: the service runs against a real provider (not-found)'),
          },
        },
        put: {
          operationId: 'putSimulator',
          summary: 'Change the simulated provider at run time (any subset of the fields)',
          security: security.internal,
          requestBody: jsonBody(simulatorSettingsPatchSchema),
          responses: {
            '200': jsonResponse('Settings now in force (all replicas)', settingsSchema),
            '400': validationFailed,
            '401': internalUnauthorized,
            '404': problem('No simulator: the service runs against a real provider (not-found)'),
          },
        },
      },
      '/internal/simulator/operations': {
        get: {
          operationId: 'listSimulatorOperations',
          summary: "The simulated provider's ledger, by the start of the caller's Idempotency-Key",
          security: security.internal,
          requestParams: { query: simulatorOperationsQuery },
          responses: {
            '200': jsonResponse(
              'What the provider carried out, oldest first (at most 100)',
              z.object({ items: z.array(simulatorOperationSchema) }),
            ),
            '400': validationFailed,
            '401': internalUnauthorized,
            '404': problem('No simulator: the service runs against a real provider (not-found)'),
          },
        },
      },
    },
  });
