import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { runMigrations } from '@tourkit/kit';
import {
  createTestAuth,
  createTestDatabase,
  testRedisUrl,
  type TestAuth,
} from '@tourkit/kit/testing';
import { loadCatalogConfig, type CatalogConfig } from '../src/config.js';
import { createCatalogApp, type CatalogApp } from '../src/app.js';
import { MIGRATIONS_DIR } from '../src/server.js';

export const INTERNAL_TOKEN = 'test-internal-token-0123456789';

export interface TestCatalog extends CatalogApp {
  url: string;
  config: CatalogConfig;
  auth: TestAuth;
  internal: { 'x-internal-token': string };
  stop(): Promise<void>;
}

/** A fresh migrated database `tourkit_<dbName>_test` (one per test file: files run in parallel). */
export async function migratedTestDatabase(dbName: string): Promise<string> {
  const url = await createTestDatabase(dbName);
  await runMigrations(url, MIGRATIONS_DIR);
  return url;
}

/** A listening catalog on a test database with its own cache prefix. */
export async function startTestCatalog(
  databaseUrl: string,
  overrides: Record<string, string> = {},
  auth: TestAuth = createTestAuth(),
): Promise<TestCatalog> {
  const config = loadCatalogConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL: testRedisUrl(),
    CACHE_PREFIX: `catalog-test:${randomUUID()}:`,
    JWT_PUBLIC_KEY: auth.publicKeyPem,
    INTERNAL_TOKEN,
    LOG_LEVEL: 'silent',
    ...overrides,
  });
  const catalog = createCatalogApp(config);
  // The cache does not queue commands while connecting; wait, so the first request already uses it.
  if (!overrides.REDIS_URL) await waitUntilReady(catalog);
  const server: Server = catalog.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...catalog,
    config,
    auth,
    url: `http://127.0.0.1:${port}`,
    internal: { 'x-internal-token': INTERNAL_TOKEN },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await catalog.close();
    },
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
