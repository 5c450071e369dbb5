import { Router, type ErrorRequestHandler } from 'express';
import {
  HttpProblem,
  currentUser,
  forbidden,
  notFound,
  parseBody,
  parseParams,
  requireAuth,
  requireInternalToken,
  validationFailed,
  type ServiceMetrics,
  type TokenVerifier,
} from '@tourkit/kit';
import {
  CurrentPasswordMismatchError,
  EmailTakenError,
  ForbiddenError,
  InvalidCredentialsError,
  UserNotFoundError,
} from './domain/errors.js';
import {
  loginSchema,
  registerUserSchema,
  toInternalUser,
  toPublicUser,
  updateProfileSchema,
  userIdParamsSchema,
} from './domain/user.js';
import type { UserUseCases } from './users.js';

export interface UserRoutesDeps {
  users: UserUseCases;
  verifier: TokenVerifier;
  internalToken: string;
  jwks: { keys: object[] };
  metrics: ServiceMetrics;
}

export function userRoutes(deps: UserRoutesDeps): Router {
  const { users } = deps;
  const router = Router();
  const authenticated = requireAuth(deps.verifier);
  const registrations = deps.metrics.counter({
    name: 'user_registrations_total',
    help: 'Accounts created',
  });
  const logins = deps.metrics.counter({
    name: 'user_logins_total',
    help: 'Login attempts by outcome',
    labelNames: ['outcome'],
  });

  router.post('/v1/users', async (req, res) => {
    const input = parseBody(req, registerUserSchema);
    const user = await users.register(input);
    registrations.inc();
    res.status(201).location(`/v1/users/${user.id}`).json(toPublicUser(user));
  });

  router.post('/v1/auth/login', async (req, res) => {
    const input = parseBody(req, loginSchema);
    try {
      const token = await users.login(input);
      logins.inc({ outcome: 'success' });
      res.set('cache-control', 'no-store').json(token);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) logins.inc({ outcome: 'invalid_credentials' });
      throw error;
    }
  });

  // Declared before /v1/users/:id so that "me" is never read as an id.
  router.get('/v1/users/me', authenticated, async (req, res) => {
    const actor = currentUser(req);
    res.json(toPublicUser(await users.getProfile(actor, actor.id)));
  });

  router.patch('/v1/users/me', authenticated, async (req, res) => {
    const actor = currentUser(req);
    const input = parseBody(req, updateProfileSchema);
    res.json(toPublicUser(await users.updateProfile(actor, actor.id, input)));
  });

  router.get('/v1/users/:id', authenticated, async (req, res) => {
    const { id } = parseParams(req, userIdParamsSchema);
    res.json(toPublicUser(await users.getProfile(currentUser(req), id)));
  });

  router.patch('/v1/users/:id', authenticated, async (req, res) => {
    const { id } = parseParams(req, userIdParamsSchema);
    const input = parseBody(req, updateProfileSchema);
    res.json(toPublicUser(await users.updateProfile(currentUser(req), id, input)));
  });

  router.get('/internal/users/:id', requireInternalToken(deps.internalToken), async (req, res) => {
    const { id } = parseParams(req, userIdParamsSchema);
    res.json(toInternalUser(await users.getForService(id)));
  });

  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('cache-control', 'public, max-age=300').json(deps.jwks);
  });

  router.use(domainErrorsAsProblems);
  return router;
}

/** Turns the domain's outcomes into problems; anything else goes on to the kit's handler. */
const domainErrorsAsProblems: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
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
