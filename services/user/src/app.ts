import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import {
  closeAll,
  createApp,
  createServiceBase,
  createServicePool,
  createTokenSigner,
  publicJwkSet,
  tokenVerifierFromConfig,
  type Closer,
  type Logger,
  type Pool,
  type ServiceBase,
} from '@tourkit/kit';
import type { UserConfig } from './config.js';
import { createPasswordHasher, type PasswordHasher } from './domain/password.js';
import { userRoutes } from './http/routes.js';
import { createUserRepository } from './store/users.js';
import type { UserContext } from './use-cases/context.js';

/** The service's OpenAPI document, served at /openapi.yaml (the image copies the whole service folder). */
const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

export interface UserApp extends ServiceBase {
  app: Express;
  pool: Pool;
  /** Closed in this order at shutdown. */
  closers: Closer[];
  close(): Promise<void>;
}

export interface UserAppOptions {
  logger?: Logger;
  /** Tests count the KDF runs through it. */
  hasher?: PasswordHasher;
}

/** Builds the user service (pool, token signer, routes) without listening. */
export function createUserApp(config: UserConfig, options: UserAppOptions = {}): UserApp {
  const base = createServiceBase(config, options);
  const pool = createServicePool(base, config);
  const signer = createTokenSigner({
    privateKeyPem: config.JWT_PRIVATE_KEY,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttl: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const ctx: UserContext = {
    users: createUserRepository(pool),
    hasher: options.hasher ?? createPasswordHasher(),
    issueAccessToken: (user) =>
      signer.sign({ id: user.id, email: user.email, roles: user.roles, country: user.country }),
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  };
  const app = createApp({
    ...base,
    bodyLimit: config.BODY_LIMIT,
    openapiPath: OPENAPI_PATH,
    routes: userRoutes({
      ctx,
      verifier: tokenVerifierFromConfig(config),
      internalToken: config.INTERNAL_TOKEN,
      jwks: publicJwkSet(config.JWT_PUBLIC_KEY),
      metrics: base.metrics,
    }),
  });
  const closers: Closer[] = [pool];
  return { ...base, app, pool, closers, close: () => closeAll(closers) };
}
