import type { ErrorRequestHandler } from 'express';
import { HttpProblem, forbidden, notFound, validationFailed } from '@tourkit/kit';
import {
  CurrentPasswordMismatchError,
  EmailTakenError,
  ForbiddenError,
  InvalidCredentialsError,
  UserNotFoundError,
} from '../domain/errors.js';

/** Turns the domain's outcomes into problems; anything else goes on to the kit's handler. */
export const domainErrorsAsProblems: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
  next(toProblem(error));
};

function toProblem(error: unknown): unknown {
  if (error instanceof EmailTakenError) {
    return new HttpProblem(409, 'email-taken', 'E-mail already registered', {
      detail: 'An account with this e-mail already exists.',
    });
  }
  if (error instanceof InvalidCredentialsError) {
    return new HttpProblem(401, 'invalid-credentials', 'Invalid credentials', {
      detail: 'The e-mail or the password is incorrect.',
    });
  }
  if (error instanceof CurrentPasswordMismatchError) {
    return validationFailed([{ field: 'currentPassword', message: 'is incorrect' }]);
  }
  if (error instanceof ForbiddenError) return forbidden('You may only access your own profile.');
  if (error instanceof UserNotFoundError) return notFound('No such user.');
  return error;
}
