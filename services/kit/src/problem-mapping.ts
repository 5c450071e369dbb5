import { ZodError } from 'zod';
import {
  HttpProblem,
  badGateway,
  badRequest,
  databaseUnavailable,
  gatewayTimeout,
  internalError,
  payloadTooLarge,
  serviceUnavailable,
  unsupportedMediaType,
} from './errors.js';
import { UpstreamError } from './upstream-error.js';
import { isCircuitOpenError } from './circuit-breaker.js';
import { isDatabaseUnavailable } from './database-outage.js';
import { fieldErrors } from './validation.js';

/** Maps anything thrown in a request to the problem the client sees; unknown errors become a generic 500. */
export function errorToProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof ZodError) {
    return new HttpProblem(400, 'validation-failed', 'Validation failed', {
      detail: 'The request has invalid fields.',
      errors: fieldErrors(error.issues, 'body'),
    });
  }
  if (error instanceof UpstreamError) {
    return error.kind === 'timeout'
      ? gatewayTimeout(`${error.service} did not answer in time.`)
      : badGateway(`${error.service} is unavailable.`);
  }
  if (isCircuitOpenError(error))
    return serviceUnavailable('A dependency is unavailable; try again later.');
  // A restart or failover cuts the connection mid-request: a temporary condition the client can
  // retry, not a bug. The transaction it cut is committed whole or not at all, never in part.
  if (isDatabaseUnavailable(error)) return databaseUnavailable();
  // Express's router: a path parameter that is not valid percent-encoded UTF-8 (`%`, `%FF`).
  if (error instanceof URIError && (error as { status?: unknown }).status === 400) {
    return new HttpProblem(400, 'bad-request', 'Bad request', {
      detail: 'The URL path is not valid percent-encoded UTF-8.',
    });
  }
  const bodyParserType = (error as { type?: unknown } | null)?.type;
  switch (bodyParserType) {
    case 'entity.too.large':
      return payloadTooLarge('The request body exceeds the size limit.');
    case 'entity.parse.failed':
      return new HttpProblem(400, 'malformed-json', 'Malformed JSON', {
        detail: 'The request body is not valid JSON.',
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return unsupportedMediaType('Unsupported request body encoding.');
    case 'request.aborted':
      return badRequest('The request was aborted.');
    default:
      return clientErrorOf(error) ?? internalError();
  }
}

/**
 * An http-errors 4xx from Express's body reading that has no `type` of its own (e.g. a body declared
 * `Content-Encoding: gzip` that is not gzip): the client's fault, so its status, never a 500. Its
 * message is shown only when the library marked it safe to (`expose`).
 */
function clientErrorOf(error: unknown): HttpProblem | undefined {
  const { status, expose } = (error ?? {}) as { status?: unknown; expose?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true)
    return undefined;
  const detail = 'The request body could not be read (is its Content-Encoding right?).';
  return status === 400
    ? badRequest(detail)
    : new HttpProblem(status, 'bad-request', 'Bad request', { detail });
}
