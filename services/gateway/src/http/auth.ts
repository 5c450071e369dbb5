import type { RequestHandler } from 'express';
import { unauthorized, type TokenVerifier } from '@tourkit/kit';
import { isPublicRoute } from '../domain/routing.js';

const failures = new WeakMap<object, unknown>();

/** Verifies a bearer token when one is sent (sets req.user), without refusing anything yet. */
export function identifyCaller(verifier: TokenVerifier): RequestHandler {
  return (req, _res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (!match?.[1]) {
      next();
      return;
    }
    verifier.verify(match[1]).then(
      (user) => {
        req.user = user;
        next();
      },
      (error: unknown) => {
        failures.set(req, error);
        next();
      },
    );
  };
}

/** 401 on every /v1 route that is not public unless identifyCaller found a valid token. */
export function requireTokenOnProtectedRoutes(): RequestHandler {
  return (req, _res, next) => {
    if (req.user || isPublicRoute(req.method, req.path)) {
      next();
      return;
    }
    next(
      failures.get(req) ??
        unauthorized('A bearer token is required (Authorization: Bearer <token>).'),
    );
  };
}
