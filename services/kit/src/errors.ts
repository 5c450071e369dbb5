export const PROBLEM_BASE_URI = 'https://tourkit.dev/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details body. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface ProblemOptions {
  detail?: string;
  errors?: FieldError[];
  /** Extra members of the problem body (e.g. `{ paymentId }`). */
  extensions?: Record<string, unknown>;
  /**
   * When the client may try again: sent as the `Retry-After` header (`sendProblem`) and as the
   * body's `retryAfterSeconds`, the two places the gateway's rate limit says it too.
   */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** An error that the kit's error handler renders as `application/problem+json` with this status. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly slug: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown>;
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, slug: string, title: string, options: ProblemOptions = {}) {
    super(
      options.detail ?? title,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'HttpProblem';
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.detail = options.detail;
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get type(): string {
    return `${PROBLEM_BASE_URI}${this.slug}`;
  }

  toJSON(): ProblemBody {
    return {
      ...this.extensions,
      ...(this.retryAfterSeconds === undefined
        ? {}
        : { retryAfterSeconds: this.retryAfterSeconds }),
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(this.errors === undefined ? {} : { errors: this.errors }),
    };
  }
}

type Detail = string | undefined;

export const badRequest = (detail?: Detail, errors?: FieldError[]) =>
  new HttpProblem(400, 'bad-request', 'Bad request', { detail, errors });
export const validationFailed = (
  errors: FieldError[],
  detail = 'The request has invalid fields.',
) => new HttpProblem(400, 'validation-failed', 'Validation failed', { detail, errors });
export const unauthorized = (detail: Detail = 'A valid bearer token is required.') =>
  new HttpProblem(401, 'unauthorized', 'Unauthorized', { detail });
export const forbidden = (detail: Detail = 'You may not access this resource.') =>
  new HttpProblem(403, 'forbidden', 'Forbidden', { detail });
export const notFound = (detail?: Detail) =>
  new HttpProblem(404, 'not-found', 'Not found', { detail });
export const methodNotAllowed = (detail?: Detail) =>
  new HttpProblem(405, 'method-not-allowed', 'Method not allowed', { detail });
export const conflict = (detail?: Detail) =>
  new HttpProblem(409, 'conflict', 'Conflict', { detail });
export const gone = (detail?: Detail) => new HttpProblem(410, 'gone', 'Gone', { detail });
export const payloadTooLarge = (detail?: Detail) =>
  new HttpProblem(413, 'payload-too-large', 'Payload too large', { detail });
export const unsupportedMediaType = (detail?: Detail) =>
  new HttpProblem(415, 'unsupported-media-type', 'Unsupported media type', { detail });
/** A 422 problem naming the one field at fault (the shape every validation problem has). */
export const unprocessable = (slug: string, title: string, field: string, message: string) =>
  new HttpProblem(422, slug, title, { detail: message, errors: [{ field, message }] });
export const tooManyRequests = (detail?: Detail) =>
  new HttpProblem(429, 'too-many-requests', 'Too many requests', { detail });
export const internalError = () =>
  new HttpProblem(500, 'internal-error', 'Internal server error', {
    detail: 'An unexpected error occurred. It has been logged.',
  });
export const badGateway = (detail?: Detail) =>
  new HttpProblem(502, 'upstream-failed', 'Upstream service failed', { detail });
export const serviceUnavailable = (detail?: Detail) =>
  new HttpProblem(503, 'service-unavailable', 'Service unavailable', { detail });
/**
 * How long a client waits before retrying a request that met the database unavailable: a Postgres
 * restart or a failover takes seconds, and the pool gives up on a connection after 2 s, so a retry
 * sooner would mostly meet the outage again.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
/** The service's database cannot be reached for now (isDatabaseUnavailable): a dependency like any other. */
export const databaseUnavailable = () =>
  new HttpProblem(503, 'service-unavailable', 'Service unavailable', {
    detail: 'The database is unavailable for now; try again later.',
    retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
  });
export const gatewayTimeout = (detail?: Detail) =>
  new HttpProblem(504, 'upstream-timeout', 'Upstream service timed out', { detail });
