import type { Express } from 'express';
import { createLogger, runMigrations, type Pool } from '@tourkit/kit';
import { createTestAuth, createTestDatabase, type TestAuth } from '@tourkit/kit/testing';
import { createUserApp } from '../src/app.js';
import { loadUserConfig, type UserConfig } from '../src/config.js';
import { MIGRATIONS_DIR } from '../src/server.js';

export const INTERNAL_TOKEN = 'internal-token-for-tests-0123456789';

export interface Harness {
  app: Express;
  pool: Pool;
  config: UserConfig;
  /** Keys, issuer and audience the app signs with; its verifier checks tokens like other services would. */
  auth: TestAuth;
  databaseUrl: string;
  close(): Promise<void>;
}

/** A user app on a fresh, migrated `tourkit_<name>_test` database. */
export async function startHarness(name: string): Promise<Harness> {
  const databaseUrl = await createTestDatabase(name);
  await runMigrations(databaseUrl, MIGRATIONS_DIR);
  const auth = createTestAuth();
  const config = loadUserConfig({
    DATABASE_URL: databaseUrl,
    JWT_PRIVATE_KEY: auth.privateKeyPem,
    JWT_PUBLIC_KEY: auth.publicKeyPem,
    INTERNAL_TOKEN,
    LOG_LEVEL: 'silent',
    DB_POOL_MAX: '4',
  });
  const user = createUserApp(config, { logger: createLogger('user', 'silent') });
  return { app: user.app, pool: user.pool, config, auth, databaseUrl, close: () => user.close() };
}
