import { ZodError } from 'zod';
import {
  HttpProblem,
  badGateway,
  badRequest,
  gatewayTimeout,
  internalError,
  payloadTooLarge,
  serviceUnavailable,
  unsupportedMediaType,
} from './errors.js';
import { UpstreamError } from './upstream-error.js';
import { isCircuitOpenError } from './circuit-breaker.js';
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
      return internalError();
  }
}
