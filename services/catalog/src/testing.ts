/** Fixtures for tests, catalog's own and other workspaces' (`@tourkit/catalog/testing`). */
import { randomUUID } from 'node:crypto';
import { runMigrations, type Logger } from '@tourkit/kit';
import {
  createTestAuth,
  createTestDatabase,
  listenForTests,
  testRedisUrl,
  type TestAuth,
} from '@tourkit/kit/testing';
import { loadCatalogConfig, type CatalogConfig } from './config.js';
import { createCatalogApp, type CatalogApp } from './app.js';
import { MIGRATIONS_DIR } from './server.js';

export type { CatalogApp } from './app.js';

export const INTERNAL_TOKEN = 'test-internal-token-0123456789';

export interface TestCatalog extends CatalogApp {
  url: string;
  port: number;
  config: CatalogConfig;
  auth: TestAuth;
  internal: { 'x-internal-token': string };
  /** Stops listening, then closes the cache and pools (the database stays). */
  stop(): Promise<void>;
}

export interface TestCatalogOptions {
  /** Variables over the test defaults (e.g. `INTERNAL_TOKEN`, `CACHE_TTL_SECONDS`, a dead `REDIS_URL`). */
  env?: Record<string, string>;
  /** Whose public key verifies tokens; default a fresh one. */
  auth?: TestAuth;
  /** Default a free port; the old one to restart the catalog where its clients expect it. */
  port?: number;
  logger?: Logger;
}

/** A fresh migrated database `tourkit_<dbName>_test` (one per test file: files run in parallel). */
export async function migratedTestDatabase(dbName: string): Promise<string> {
  const url = await createTestDatabase(dbName);
  await runMigrations(url, MIGRATIONS_DIR);
  return url;
}

/**
 * The real catalog listening on a test database, with its own cache prefix. Other services' tests
 * start it too (booking, review and gateway call it over HTTP as in production).
 */
export async function startTestCatalog(
  databaseUrl: string,
  options: TestCatalogOptions = {},
): Promise<TestCatalog> {
  const auth = options.auth ?? createTestAuth();
  const env = options.env ?? {};
  const config = loadCatalogConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL: testRedisUrl(),
    CACHE_PREFIX: `catalog-test:${randomUUID()}:`,
    JWT_PUBLIC_KEY: auth.publicKeyPem,
    INTERNAL_TOKEN,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const catalog = createCatalogApp(config, options.logger ? { logger: options.logger } : {});
  // The cache does not queue commands while connecting; wait, so the first request already uses it.
  if (!env.REDIS_URL) await waitUntilReady(catalog);
  const server = await listenForTests(catalog.app, {
    health: catalog.health,
    logger: catalog.logger,
    onShutdown: catalog.closers,
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  return {
    ...catalog,
    config,
    auth,
    url: server.url,
    port: server.port,
    internal: { 'x-internal-token': config.INTERNAL_TOKEN },
    stop: () => server.close(),
  };
}

let counter = 0;

/** A valid tour draft in JSON form (as a client sends it), starting `inDays` from now. */
export function tourBody(overrides: Record<string, unknown> = {}, inDays = 30) {
  counter += 1;
  return {
    title: `Test tour ${counter}`,
    destination: 'Paris',
    country: 'FR',
    description: 'A tour for tests',
    startsAt: new Date(Date.now() + inDays * 86_400_000).toISOString(),
    durationHours: 3,
    capacity: 10,
    priceCents: 5000,
    seasons: [],
    operatorEmail: 'op@example.test',
    ...overrides,
  };
}

/**
 * Creates a tour through catalog's API, as another service's test does (with the internal token),
 * and returns its id: `tourBody(overrides, inDays)` sent to POST /v1/tours.
 */
export async function createTestTour(
  catalogUrl: string,
  internalToken: string,
  overrides: Record<string, unknown> = {},
  inDays = 30,
): Promise<string> {
  const response = await fetch(`${catalogUrl}/v1/tours`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-internal-token': internalToken },
    body: JSON.stringify(tourBody(overrides, inDays)),
  });
  const body = (await response.json()) as { id: string };
  if (response.status !== 201) throw new Error(`catalog refused the tour: ${JSON.stringify(body)}`);
  return body.id;
}

/** Sum of the cache_requests_total counter for one result, read from /metrics. */
export async function cacheRequests(
  url: string,
  result: 'hit' | 'miss' | 'error',
): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`cache_requests_total{result="${result}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function waitUntilReady(catalog: CatalogApp): Promise<void> {
  if (!(await catalog.cache.ready(5000))) throw new Error('test Redis did not become ready');
}
