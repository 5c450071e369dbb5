/** Fixtures for tests, user's own and other workspaces' (`@tourkit/user/testing`). */
import type { Express } from 'express';
import { createLogger, runMigrations, type Logger, type Pool } from '@tourkit/kit';
import { createTestAuth, createTestDatabase, type TestAuth } from '@tourkit/kit/testing';
import { createUserApp, type UserApp } from './app.js';
import { loadUserConfig, type UserConfig } from './config.js';
import { MIGRATIONS_DIR } from './server.js';

export { MIGRATIONS_DIR } from './server.js';

export const INTERNAL_TOKEN = 'internal-token-for-tests-0123456789';

export interface TestUser {
  app: Express;
  pool: Pool;
  config: UserConfig;
  /** Keys, issuer and audience the app signs with; its verifier checks tokens like other services would. */
  auth: TestAuth;
  databaseUrl: string;
  /** The whole app as createUserApp built it (health, closers, …) for a caller that listens. */
  user: UserApp;
  close(): Promise<void>;
}

export interface TestUserOptions {
  /** Whose keys sign and verify tokens; default a fresh pair. */
  auth?: TestAuth;
  env?: Record<string, string>;
  logger?: Logger;
}

/** A user app on a fresh, migrated `tourkit_<name>_test` database. */
export async function startTestUser(
  name: string,
  options: TestUserOptions = {},
): Promise<TestUser> {
  const databaseUrl = await createTestDatabase(name);
  await runMigrations(databaseUrl, MIGRATIONS_DIR);
  const auth = options.auth ?? createTestAuth();
  const config = loadUserConfig({
    DATABASE_URL: databaseUrl,
    JWT_PRIVATE_KEY: auth.privateKeyPem,
    JWT_PUBLIC_KEY: auth.publicKeyPem,
    INTERNAL_TOKEN,
    LOG_LEVEL: 'silent',
    DB_POOL_MAX: '4',
    ...options.env,
  });
  const user = createUserApp(config, { logger: options.logger ?? createLogger('user', 'silent') });
  return {
    app: user.app,
    pool: user.pool,
    config,
    auth,
    databaseUrl,
    user,
    close: () => user.close(),
  };
}
