import { z } from 'zod';
import {
  createDocument,
  type ZodOpenApiObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { PROBLEM_BASE_URI, PROBLEM_CONTENT_TYPE } from './errors.js';

// What every service's OpenAPI document shares: the problem+json body the kit's error handler
// writes (errors.ts), the two security schemes (auth.ts), and the document's frame. Each service's
// src/http/openapi.ts declares its operations with the same zod schemas its routes parse with, and
// hack/openapi/generate.ts writes the result to services/<svc>/openapi.yaml.

/** RFC 9457 body, as HttpProblem.toJSON writes it (extension members such as retryAfterSeconds allowed). */
export const problemSchema = z
  .looseObject({
    type: z.string().meta({
      format: 'uri',
      description: `A stable URI naming the kind of problem (${PROBLEM_BASE_URI}<slug>)`,
    }),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Each bad field of the request, for validation failures' }),
  })
  .meta({
    id: 'Problem',
    description: 'application/problem+json (RFC 9457)',
    examples: [
      {
        type: `${PROBLEM_BASE_URI}validation-failed`,
        title: 'Validation failed',
        status: 400,
        detail: 'The request has invalid fields.',
        errors: [{ field: 'travellers', message: 'must be at least 1' }],
      },
    ],
  });

/** A problem+json response with this description. */
export function problem(description: string): ZodOpenApiResponseObject {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } };
}

/** The responses every service answers the same way (the kit writes them). */
export const commonResponses = {
  validationFailed: problem(
    'Invalid input: validation-failed, `errors` names each bad field (or bad-request for a body that is not JSON)',
  ),
  unauthorized: problem('Missing or invalid bearer token (unauthorized)'),
  internalUnauthorized: problem('Missing or wrong internal token (unauthorized)'),
  forbidden: problem('The token lacks the role this needs (forbidden)'),
  notFound: problem('No such resource (not-found)'),
  upstream: problem(
    'A service this one calls failed (upstream-failed, 502) or did not answer in time (upstream-timeout, 504)',
  ),
} as const;

/**
 * What a client meets when the service's database is unavailable (problem-mapping.ts): said once
 * here, for every operation of a service with a database (`serviceDocument`'s `database`), and in
 * each 503 an operation documents for a reason of its own (`unavailable`).
 */
const DATABASE_UNAVAILABLE =
  "service-unavailable: the service's database is unavailable for now (a restart, a failover). A write it interrupted is committed whole or not at all, never in part; retry after `Retry-After` seconds (a write that takes an Idempotency-Key, with the same key)";

const retryAfterHeader = {
  description:
    "Seconds to wait before retrying (sent when the database is unavailable; the body's retryAfterSeconds too)",
  schema: { type: 'integer', minimum: 1 },
} as const;

/**
 * A 503 this operation answers for a reason of its own (e.g. an open circuit), which also covers
 * the database being unavailable: one status, one response, both reasons in its description.
 */
export function unavailable(description: string): ZodOpenApiResponseObject {
  return {
    ...problem(`${description}; or ${DATABASE_UNAVAILABLE}`),
    headers: { 'retry-after': retryAfterHeader },
  };
}

/** A JSON response with this description and body schema. */
export const jsonResponse = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required JSON request body of this schema. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/** Security requirements: a user's bearer token, the services' shared internal token, or none. */
export const security = {
  bearer: [{ bearer: [] }],
  internal: [{ internalToken: [] }],
  none: [],
} as const satisfies Record<string, Array<Record<string, string[]>>>;

const securitySchemes = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An access token from POST /v1/auth/login (user service)',
  },
  internalToken: {
    type: 'apiKey',
    in: 'header',
    name: 'x-internal-token',
    description: 'The token services share for /internal calls (INTERNAL_TOKEN); never public',
  },
} as const;

/** A generated OpenAPI 3.1 document. */
export type OpenApiDocument = ReturnType<typeof createDocument>;

export interface ServiceDocumentOptions {
  /** e.g. `booking`: the title is "Tourkit booking service". */
  service: string;
  description: string;
  /** The port `make dev` runs the service on (the document's server). */
  port: number;
  paths: ZodOpenApiPathsObject;
  /** Path items or components the service adds (e.g. named parameters). */
  components?: ZodOpenApiObject['components'];
  /**
   * The service has a database of its own (services.json `database`): every operation may meet it
   * unavailable and answer 503 (the DatabaseUnavailable response is added where the operation
   * documents no 503; where it does, that 503 must be `unavailable(...)`), except the operations
   * named in `unusedBy` (operationIds), which never query it.
   */
  database?: true | { unusedBy: readonly string[] };
}

/** The OpenAPI 3.1 document of one service, as a plain object (hack/openapi/generate.ts writes it). */
export function serviceDocument(options: ServiceDocumentOptions): OpenApiDocument {
  const document = createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: `Tourkit ${options.service} service`,
        version: '0.1.0',
        description: options.description,
      },
      servers: [
        { url: `http://127.0.0.1:${options.port}`, description: 'make dev (this service alone)' },
      ],
      paths: options.paths,
      components: {
        ...options.components,
        securitySchemes: { ...securitySchemes, ...options.components?.securitySchemes },
      },
    },
    {
      // zod writes a plain .int() as bounded by ±MAX_SAFE_INTEGER: true, and noise to a reader.
      override: ({ jsonSchema }) => {
        if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
        if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
      },
    },
  );
  if (options.database)
    addDatabaseResponses(document, options.database === true ? [] : options.database.unusedBy);
  addTransportResponses(document);
  // Only the schemes some operation requires: an unused one tells a reader nothing true.
  const used = new Set(
    Object.values(document.paths ?? {}).flatMap((item) =>
      Object.values(item as Record<string, { security?: Array<Record<string, unknown>> }>).flatMap(
        (operation) =>
          (operation.security ?? []).flatMap((requirement) => Object.keys(requirement)),
      ),
    ),
  );
  const schemes = document.components?.securitySchemes ?? {};
  for (const name of Object.keys(schemes)) if (!used.has(name)) delete schemes[name];
  return document;
}

const problemContent = {
  [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } },
};

/**
 * What the kit answers on any route, before the route runs (app.ts, client-error.ts): a request
 * that is not valid HTTP or a body that is not JSON (400 bad-request), a body over the limit (413),
 * a body in an encoding it cannot read (415), headers too large (431).
 */
const TRANSPORT_RESPONSES = {
  '400': {
    name: 'BadRequest',
    description:
      'bad-request: not valid HTTP/1.1, a body that is not JSON, or text the service cannot store (validation-failed naming the field)',
  },
  '413': { name: 'PayloadTooLarge', description: 'payload-too-large: the body is over the limit' },
  '415': {
    name: 'UnsupportedMediaType',
    description: 'unsupported-media-type: a body in an encoding the service cannot read',
  },
  '431': {
    name: 'RequestHeaderFieldsTooLarge',
    description: 'request-header-fields-too-large: the request line or headers are too large',
  },
} as const;

const OPERATION_METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

type Operations = Array<{
  where: string;
  operation: { operationId?: string; responses?: Record<string, unknown> };
}>;

function operationsOf(document: OpenApiDocument): Operations {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    OPERATION_METHODS.flatMap((method) => {
      const operation = (item as Record<string, Operations[number]['operation'] | undefined>)[
        method
      ];
      return operation ? [{ where: `${method.toUpperCase()} ${path}`, operation }] : [];
    }),
  );
}

/**
 * Gives each operation that queries the database its 503: the shared DatabaseUnavailable response,
 * or the operation's own 503 when it has one, which must then say the database too (made with
 * `unavailable`). A name in `unusedBy` that is no operation is a mistake, not a no-op.
 */
function addDatabaseResponses(document: OpenApiDocument, unusedBy: readonly string[]): void {
  const operations = operationsOf(document);
  const ids = new Set(operations.map(({ operation }) => operation.operationId));
  for (const id of unusedBy) {
    if (!ids.has(id)) throw new Error(`database.unusedBy: no operation ${id}`);
  }
  let used = false;
  for (const { where, operation } of operations) {
    if (!operation.responses || unusedBy.includes(operation.operationId ?? '')) continue;
    const own = operation.responses['503'] as { description?: string } | undefined;
    if (own === undefined) {
      operation.responses['503'] = { $ref: '#/components/responses/DatabaseUnavailable' };
      used = true;
    } else if (!own.description?.includes(DATABASE_UNAVAILABLE)) {
      throw new Error(
        `${where}: its own 503 does not say the database may be unavailable; declare it with unavailable(description)`,
      );
    }
  }
  if (used) {
    (document.components ??= {}).responses = {
      ...document.components.responses,
      DatabaseUnavailable: {
        description: DATABASE_UNAVAILABLE,
        headers: { 'retry-after': retryAfterHeader },
        content: problemContent,
      },
    };
  }
}

/** Adds the kit's own answers to each operation that does not already document that status. */
function addTransportResponses(document: OpenApiDocument): void {
  const used = new Set<string>();
  for (const item of Object.values(document.paths ?? {})) {
    for (const method of OPERATION_METHODS) {
      const operation = (item as Record<string, { responses?: Record<string, unknown> }>)[method];
      if (!operation?.responses) continue;
      for (const [status, { name }] of Object.entries(TRANSPORT_RESPONSES)) {
        if (operation.responses[status] !== undefined) continue;
        operation.responses[status] = { $ref: `#/components/responses/${name}` };
        used.add(name);
      }
      operation.responses = Object.fromEntries(
        Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)),
      );
    }
  }
  const components = (document.components ??= {});
  for (const { name, description } of Object.values(TRANSPORT_RESPONSES)) {
    if (used.has(name))
      (components.responses ??= {})[name] = { description, content: problemContent };
  }
}
