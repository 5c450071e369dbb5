import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { isIsoCountryCode } from './countries.js';
import { forbidden, unauthorized } from './errors.js';

/** The authenticated caller, from the access token. */
export interface AuthUser {
  id: string;
  email: string;
  roles: string[];
  /** ISO 3166-1 alpha-2 country of the user's profile (claim `country`), when the token carries one. */
  country?: string;
}

export interface TokenVerifier {
  /** Resolves with the user; rejects with a 401 problem when the token is invalid or expired. */
  verify(token: string): Promise<AuthUser>;
}

export interface TokenSigner {
  sign(user: AuthUser): Promise<string>;
}

export interface TokenVerifierOptions {
  publicKeyPem: string;
  issuer: string;
  audience: string;
}

export interface TokenSignerOptions {
  privateKeyPem: string;
  issuer: string;
  audience: string;
  /** Lifetime as seconds or a jose time span (`15m`, `1h`); default `15m`. */
  ttl?: number | string;
}

/** EdDSA for Ed25519 keys, ES256 for P-256 keys: the algorithm follows the key, so a token cannot pick its own. */
export function algorithmFor(key: KeyObject): 'EdDSA' | 'ES256' {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
    return 'ES256';
  throw new Error(`unsupported JWT key type ${key.asymmetricKeyType}; use Ed25519 or P-256`);
}

/** The verifier for a config built with `tokenVerifierConfigShape`. */
export function tokenVerifierFromConfig(config: {
  JWT_PUBLIC_KEY: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
}): TokenVerifier {
  return createTokenVerifier({
    publicKeyPem: config.JWT_PUBLIC_KEY,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const key = createPublicKey(options.publicKeyPem);
  const algorithm = algorithmFor(key);
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: [algorithm],
        });
        if (typeof payload.sub !== 'string' || payload.sub === '')
          throw unauthorized('The token has no subject.');
        const user: AuthUser = {
          id: payload.sub,
          email: typeof payload.email === 'string' ? payload.email : '',
          roles: Array.isArray(payload.roles)
            ? payload.roles.filter((role): role is string => typeof role === 'string')
            : [],
        };
        // A signed but malformed country is dropped rather than trusted: callers fall back to their default.
        if (typeof payload.country === 'string' && isIsoCountryCode(payload.country))
          user.country = payload.country;
        return user;
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) throw unauthorized('The token has expired.');
        if (error instanceof joseErrors.JOSEError) throw unauthorized('The token is invalid.');
        throw error;
      }
    },
  };
}

export function createTokenSigner(options: TokenSignerOptions): TokenSigner {
  const key = createPrivateKey(options.privateKeyPem);
  const algorithm = algorithmFor(key);
  const ttl = options.ttl ?? '15m';
  return {
    async sign(user) {
      if (user.country !== undefined && !isIsoCountryCode(user.country))
        throw new Error(`not an ISO 3166-1 alpha-2 country code: ${user.country}`);
      return new SignJWT({
        email: user.email,
        roles: user.roles,
        ...(user.country === undefined ? {} : { country: user.country }),
      })
        .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
        .setSubject(user.id)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt()
        .setExpirationTime(typeof ttl === 'number' ? `${ttl}s` : ttl)
        .sign(key);
    },
  };
}

/** A fresh Ed25519 key pair as PEM (SPKI public, PKCS#8 private), for tests and `make dev`. */
export function generateDevKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/** Rejects the request with 401 problem+json unless it carries a valid `Authorization: Bearer` token; sets `req.user`. */
export function requireAuth(verifier: TokenVerifier): RequestHandler {
  return (req, _res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (!match?.[1]) {
      next(unauthorized('A bearer token is required (Authorization: Bearer <token>).'));
      return;
    }
    verifier.verify(match[1]).then(
      (user) => {
        req.user = user;
        next();
      },
      (error: unknown) => next(error),
    );
  };
}

/** The authenticated user; throws 401 if `requireAuth` did not run. */
export function currentUser(req: Request): AuthUser {
  if (!req.user) throw unauthorized();
  return req.user;
}

/**
 * A user reaches only what is theirs: the route parameter `param` (default `userId`) must be the caller's id,
 * unless the caller has one of `bypassRoles` (default `admin`). Answers 403 otherwise.
 */
export function requireSelf(param = 'userId', bypassRoles: string[] = ['admin']): RequestHandler {
  return (req, _res, next) => {
    const user = req.user;
    if (!user) return next(unauthorized());
    if (req.params[param] === user.id || user.roles.some((role) => bypassRoles.includes(role)))
      return next();
    next(forbidden('You may only access your own resources.'));
  };
}

/** Throws 403 unless `ownerId` is the caller (or the caller has a bypass role); for checks after loading a row. */
export function assertOwner(
  req: Request,
  ownerId: string,
  bypassRoles: string[] = ['admin'],
): void {
  const user = currentUser(req);
  if (user.id !== ownerId && !user.roles.some((role) => bypassRoles.includes(role))) {
    throw forbidden('You may only access your own resources.');
  }
}

export function requireRole(...roles: string[]): RequestHandler {
  return (req, _res, next) => {
    const user = req.user;
    if (!user) return next(unauthorized());
    if (user.roles.some((role) => roles.includes(role))) return next();
    next(forbidden(`One of the roles ${roles.join(', ')} is required.`));
  };
}

/** Guards `/internal/*` routes: header `x-internal-token` must equal the shared secret (401 otherwise). */
export function requireInternalToken(token: string): RequestHandler {
  const expected = Buffer.from(token);
  return (req: Request, _res: Response, next: NextFunction) => {
    const given = Buffer.from(req.get('x-internal-token') ?? '');
    if (expected.length > 0 && given.length === expected.length && timingSafeEqual(given, expected))
      return next();
    next(unauthorized('A valid x-internal-token header is required for internal endpoints.'));
  };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `requireAuth`. */
      user?: AuthUser;
    }
  }
}
