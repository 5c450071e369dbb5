import { Router } from 'express';
import {
  currentUser,
  parseBody,
  parseParams,
  requireAuth,
  requireInternalToken,
  type ServiceMetrics,
  type TokenVerifier,
} from '@tourkit/kit';
import { InvalidCredentialsError } from '../domain/errors.js';
import {
  loginSchema,
  registerUserSchema,
  toInternalUser,
  toPublicUser,
  updateProfileSchema,
  userIdParamsSchema,
} from '../domain/user.js';
import type { UserContext } from '../use-cases/context.js';
import { findUser } from '../use-cases/find-user.js';
import { getProfile } from '../use-cases/get-profile.js';
import { logIn } from '../use-cases/log-in.js';
import { registerUser } from '../use-cases/register-user.js';
import { updateProfile } from '../use-cases/update-profile.js';
import { domainErrorsAsProblems } from './problems.js';

export interface UserRoutesDeps {
  ctx: UserContext;
  verifier: TokenVerifier;
  internalToken: string;
  jwks: { keys: object[] };
  metrics: ServiceMetrics;
}

export function userRoutes(deps: UserRoutesDeps): Router {
  const { ctx } = deps;
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
    const user = await registerUser(ctx, input);
    registrations.inc();
    res.status(201).location(`/v1/users/${user.id}`).json(toPublicUser(user));
  });

  router.post('/v1/auth/login', async (req, res) => {
    const input = parseBody(req, loginSchema);
    try {
      const token = await logIn(ctx, input);
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
    res.json(toPublicUser(await getProfile(ctx, actor, actor.id)));
  });

  router.patch('/v1/users/me', authenticated, async (req, res) => {
    const actor = currentUser(req);
    const input = parseBody(req, updateProfileSchema);
    res.json(toPublicUser(await updateProfile(ctx, actor, actor.id, input)));
  });

  router.get('/v1/users/:id', authenticated, async (req, res) => {
    const { id } = parseParams(req, userIdParamsSchema);
    res.json(toPublicUser(await getProfile(ctx, currentUser(req), id)));
  });

  router.patch('/v1/users/:id', authenticated, async (req, res) => {
    const { id } = parseParams(req, userIdParamsSchema);
    const input = parseBody(req, updateProfileSchema);
    res.json(toPublicUser(await updateProfile(ctx, currentUser(req), id, input)));
  });

  router.get('/internal/users/:id', requireInternalToken(deps.internalToken), async (req, res) => {
    const { id } = parseParams(req, userIdParamsSchema);
    // Another service (notification enriching an e-mail) reads any user: no actor check.
    res.json(toInternalUser(await findUser(ctx, id)));
  });

  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('cache-control', 'public, max-age=300').json(deps.jwks);
  });

  router.use(domainErrorsAsProblems);
  return router;
}
