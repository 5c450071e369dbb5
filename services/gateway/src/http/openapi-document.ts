import { z } from 'zod';
import {
  commonResponses,
  problem,
  problemSchema,
  security,
  serviceDocument,
  type OpenApiDocument,
} from '@tourkit/kit/openapi';
import { UPSTREAMS } from '../domain/routing.js';

// The gateway's own operations (the OpenAPI documents and their reference page); what it forwards
// is in each service's document. hack/openapi/generate.ts writes services/gateway/openapi.yaml.

const tooManyRequests = {
  description: 'Over the per-minute limit (rate-limited)',
  headers: z.object({
    'retry-after': z.number().int().meta({ description: 'Seconds until the window resets' }),
    ratelimit: z.string().meta({ description: 'limit=N, remaining=N, reset=S' }),
    'ratelimit-policy': z.string().meta({ description: 'N;w=60' }),
  }),
  content: {
    'application/problem+json': {
      schema: problemSchema.extend({ retryAfterSeconds: z.number().int() }),
    },
  },
};

/** The services whose /v1 operations make the public document: the gateway's own, then its upstreams'. */
export const PUBLIC_DOCUMENTS = ['gateway', ...UPSTREAMS] as const;

export const openapiDocument = (): OpenApiDocument =>
  serviceDocument({
    service: 'gateway',
    port: 8080,
    description: `The single public entry point of Tourkit (port 8080). It forwards \`/v1/*\` to the services, unchanged in path and query:

| path | service | public (no token) |
| --- | --- | --- |
| \`/v1/tours/{id}/reviews\`, \`/v1/tours/{id}/reviews/*\`, \`/v1/tours/{id}/rating\` | review | GET, HEAD |
| \`/v1/tours\`, \`/v1/tours/*\` | catalog | GET, HEAD |
| \`/v1/users\`, \`/v1/users/*\`, \`/v1/auth/*\` | user | \`POST /v1/users\`, \`POST /v1/auth/login\` |
| \`/v1/bookings\`, \`/v1/bookings/*\`, \`/v1/admin/bookings\`, \`/v1/admin/bookings/*\` | booking | — |
| \`/v1/payment-links/*\` | booking | GET, POST (the link's signed token is the authority) |

Every other route needs \`Authorization: Bearer <access token>\` (verified here, then passed on). The whole public API is one document at \`GET /v1/openapi.json\`, readable at \`/docs\`; each service's own document is served below (\`GET /v1/openapi\`). \`/internal/*\` is never forwarded. Request bodies reach the service byte for byte (never parsed here); one over \`BODY_LIMIT\` is a 413 problem. Every \`/v1\` request counts against a per-client limit per minute (the token's subject, else the client address: the peer, or what a trusted proxy names in \`X-Forwarded-For\`); the answers carry \`RateLimit\` and \`RateLimit-Policy\` headers (IETF draft 7), and one over the limit is a 429 problem. Every 4xx is \`application/problem+json\`.`,
    paths: {
      '/v1/openapi.json': {
        get: {
          operationId: 'getPublicOpenapi',
          summary: 'The public API: every /v1 operation the gateway forwards, as one document',
          security: security.none,
          responses: {
            '200': {
              description: 'An OpenAPI 3.1 document (the one /docs renders)',
              content: {
                'application/json': {
                  schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}) }),
                },
              },
            },
            '429': tooManyRequests,
          },
        },
      },
      '/v1/openapi': {
        get: {
          operationId: 'listOpenapi',
          summary: "Index of the services' OpenAPI documents",
          security: security.none,
          responses: {
            '200': {
              description: 'One entry per document the gateway serves',
              content: {
                'application/json': {
                  schema: z.object({
                    specs: z.array(
                      z.object({
                        service: z.string().meta({ example: 'catalog' }),
                        url: z.string().meta({ example: '/v1/openapi/catalog.yaml' }),
                      }),
                    ),
                  }),
                },
              },
            },
            '429': tooManyRequests,
          },
        },
      },
      '/v1/openapi/{service}.yaml': {
        get: {
          operationId: 'getOpenapi',
          summary: "One service's OpenAPI document",
          security: security.none,
          requestParams: { path: z.object({ service: z.enum(PUBLIC_DOCUMENTS) }) },
          responses: {
            '200': {
              description:
                "The document the running service serves at `GET /openapi.yaml` (kept here for 300 s), or the gateway's own",
              content: { 'application/yaml': { schema: z.string() } },
            },
            '404': problem('No such document (not-found)'),
            '429': tooManyRequests,
            '502': commonResponses.upstream,
            '504': commonResponses.upstream,
          },
        },
      },
    },
  });
