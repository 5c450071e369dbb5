import { createServer } from 'node:net';
import type { Express } from 'express';
import pg from 'pg';
import {
  createTokenSigner,
  createTokenVerifier,
  generateDevKeyPair,
  type AuthUser,
  type TokenSigner,
  type TokenVerifier,
} from './auth.js';
import { HealthRegistry } from './health.js';
import { createLogger, type Logger } from './logger.js';
import { startServer, type Closer, type ServerHandle } from './server.js';

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Drops (if present) and creates `tourkit_<name>_test`; returns its URL. DATABASE_ADMIN_URL overrides
 * the server; TOURKIT_TEST_DB_PREFIX replaces `tourkit`, so two checkouts can test on one server.
 */
export async function createTestDatabase(name: string): Promise<string> {
  const database = testDatabaseName(name);
  const adminUrl = process.env.DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function dropTestDatabase(name: string): Promise<void> {
  const admin = new pg.Client({
    connectionString: process.env.DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL,
  });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${testDatabaseName(name)}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export function testDatabaseName(name: string): string {
  const database = `${process.env.TOURKIT_TEST_DB_PREFIX ?? 'tourkit'}_${name}_test`;
  if (!/^[a-z0-9_]+$/.test(database))
    throw new Error(`test database name must be [a-z0-9_]: ${name}`);
  return database;
}

/** REDIS_URL or the local Redis. Give each test file its own cache prefix. */
export function testRedisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A TCP port nothing listens on (bound then released), e.g. for "Redis down" tests. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('could not get a port');
  return address.port;
}

export interface ListenForTestsOptions {
  /** Behind /readyz and /health; default an empty registry. */
  health?: HealthRegistry;
  /** Default a silent logger. */
  logger?: Logger;
  /** Default a free port; give the old one to restart a service where its clients expect it. */
  port?: number;
  /** Run by `close()` after the server has stopped (the service's closers). */
  onShutdown?: Closer[];
}

/** `startServer` as tests want it: on 127.0.0.1, no signal handlers; `close()` stops it gracefully. */
export function listenForTests(
  app: Express,
  options: ListenForTestsOptions = {},
): Promise<ServerHandle> {
  return startServer(app, {
    port: options.port ?? 0,
    host: '127.0.0.1',
    logger: options.logger ?? createLogger('test', 'silent'),
    health: options.health ?? new HealthRegistry(),
    handleSignals: false,
    onShutdown: options.onShutdown ?? [],
  });
}

export interface TestAuth {
  publicKeyPem: string;
  privateKeyPem: string;
  issuer: string;
  audience: string;
  verifier: TokenVerifier;
  signer: TokenSigner;
  /** A valid access token for `userId` (email `<userId>@example.test`, no roles and no country unless given). */
  tokenFor(userId: string, extra?: Partial<Omit<AuthUser, 'id'>>): Promise<string>;
  /** `{ authorization: 'Bearer …' }` for supertest's `.set()`. */
  authHeader(
    userId: string,
    extra?: Partial<Omit<AuthUser, 'id'>>,
  ): Promise<{ authorization: string }>;
}

/** A fresh key pair with a verifier and signer (issuer `tourkit-user`, audience `tourkit`). */
export function createTestAuth(
  options: { issuer?: string; audience?: string; ttl?: number | string } = {},
): TestAuth {
  const { publicKeyPem, privateKeyPem } = generateDevKeyPair();
  const issuer = options.issuer ?? 'tourkit-user';
  const audience = options.audience ?? 'tourkit';
  const signer = createTokenSigner({ privateKeyPem, issuer, audience, ttl: options.ttl ?? '15m' });
  const verifier = createTokenVerifier({ publicKeyPem, issuer, audience });
  const tokenFor = (userId: string, extra: Partial<Omit<AuthUser, 'id'>> = {}) =>
    signer.sign({
      id: userId,
      email: extra.email ?? `${userId}@example.test`,
      roles: extra.roles ?? [],
      ...(extra.country === undefined ? {} : { country: extra.country }),
    });
  return {
    publicKeyPem,
    privateKeyPem,
    issuer,
    audience,
    verifier,
    signer,
    tokenFor,
    authHeader: async (userId, extra) => ({
      authorization: `Bearer ${await tokenFor(userId, extra)}`,
    }),
  };
}
