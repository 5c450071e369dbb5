import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import {
  createApp,
  createTokenSigner,
  publicJwkSet,
  tokenVerifierFromConfig,
  type HealthRegistry,
  type Logger,
  type Pool,
  type ServiceMetrics,
} from '@tourkit/kit';
import type { UserConfig } from './config.js';
import { createPasswordHasher, type PasswordHasher } from './domain/password.js';
import { createUserRepository } from './repository.js';
import { userRoutes } from './routes.js';
import { createUserUseCases } from './users.js';

/** The service's OpenAPI document, served at /openapi.yaml (the image copies the whole service folder). */
const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

export interface UserAppDeps {
  config: UserConfig;
  logger: Logger;
  metrics: ServiceMetrics;
  health: HealthRegistry;
  pool: Pool;
  hasher?: PasswordHasher;
}

/** Builds the user service's Express app; does not listen. */
export function createUserApp(deps: UserAppDeps): Express {
  const { config } = deps;
  const signer = createTokenSigner({
    privateKeyPem: config.JWT_PRIVATE_KEY,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttl: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const verifier = tokenVerifierFromConfig(config);
  const users = createUserUseCases({
    repository: createUserRepository(deps.pool),
    hasher: deps.hasher ?? createPasswordHasher(),
    issueAccessToken: (user) =>
      signer.sign({ id: user.id, email: user.email, roles: user.roles, country: user.country }),
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  return createApp({
    name: config.SERVICE_NAME,
    logger: deps.logger,
    metrics: deps.metrics,
    health: deps.health,
    bodyLimit: config.BODY_LIMIT,
    openapiPath: OPENAPI_PATH,
    routes: userRoutes({
      users,
      verifier,
      internalToken: config.INTERNAL_TOKEN,
      jwks: publicJwkSet(config.JWT_PUBLIC_KEY),
      metrics: deps.metrics,
    }),
  });
}
