import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import {
  HealthRegistry,
  createLogger,
  createMetrics,
  createPool,
  createServiceClient,
  runMigrations,
  startServer,
  type Pool,
  type ServerHandle,
} from '@tourkit/kit';
import {
  createTestAuth,
  createTestDatabase,
  dropTestDatabase,
  type TestAuth,
} from '@tourkit/kit/testing';
// The real catalog service, in-process on its own test database: booking talks to it over HTTP
// exactly as in production (GET /v1/tours/:id, POST /internal/tours/:id/seats).
import { createCatalogApp, type CatalogApp } from '../../../catalog/src/app.js';
import { loadCatalogConfig } from '../../../catalog/src/config.js';
import { buildBookingApp } from '../../src/app.js';
import { createCatalog } from '../../src/catalog-client.js';
import { defaultPricingRules, type PricingRules } from '../../src/pricing/index.js';

export const INTERNAL_TOKEN = 'booking-test-internal-token';
const bookingMigrations = fileURLToPath(new URL('../../migrations', import.meta.url));
const catalogMigrations = fileURLToPath(new URL('../../../catalog/migrations', import.meta.url));

export interface Harness {
  app: Express;
  pool: Pool;
  auth: TestAuth;
  catalog: CatalogApp;
  catalogUrl: string;
  /** Creates a tour in the real catalog and returns its id. */
  createTour(overrides?: Record<string, unknown>): Promise<string>;
  /** Seats booked on a tour, as catalog counts them. */
  bookedSeats(tourId: string): Promise<number>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  now?: () => Date;
  rules?: PricingRules;
}

/** Booking + real catalog, each on its own test database named after `name` (unique per test file). */
export async function startHarness(name: string, options: HarnessOptions = {}): Promise<Harness> {
  const auth = createTestAuth();
  const logger = createLogger('booking-test', 'silent');

  const catalogDbName = `${name}_catalog`;
  const catalogDbUrl = await createTestDatabase(catalogDbName);
  await runMigrations(catalogDbUrl, catalogMigrations);
  const catalog = createCatalogApp(
    loadCatalogConfig({
      DATABASE_URL: catalogDbUrl,
      JWT_PUBLIC_KEY: auth.publicKeyPem,
      INTERNAL_TOKEN,
      CACHE_PREFIX: `test:${name}:${randomUUID()}:`,
      LOG_LEVEL: 'silent',
    }),
    { logger },
  );
  const catalogServer: ServerHandle = await startServer(catalog.app, {
    port: 0,
    host: '127.0.0.1',
    logger,
    health: catalog.health,
    handleSignals: false,
  });

  const dbUrl = await createTestDatabase(name);
  await runMigrations(dbUrl, bookingMigrations);
  const pool = createPool(dbUrl, { name: 'db' });
  const client = createServiceClient({
    name: 'catalog',
    baseUrl: catalogServer.url,
    timeoutMs: 5_000,
    headers: { 'x-internal-token': INTERNAL_TOKEN },
  });
  const app = buildBookingApp({
    logger,
    metrics: createMetrics('booking', { defaultMetrics: false }),
    health: new HealthRegistry(),
    pool,
    catalog: createCatalog(client),
    verifier: auth.verifier,
    internalToken: INTERNAL_TOKEN,
    rules: options.rules ?? defaultPricingRules,
    defaultCountry: 'FR',
    ...(options.now ? { now: options.now } : {}),
  });

  return {
    app,
    pool,
    auth,
    catalog,
    catalogUrl: catalogServer.url,
    async createTour(overrides = {}) {
      const response = await fetch(`${catalogServer.url}/v1/tours`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-internal-token': INTERNAL_TOKEN },
        body: JSON.stringify({
          title: 'Paris by night',
          destination: 'Paris',
          country: 'FR',
          startsAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
          durationHours: 3,
          capacity: 20,
          priceCents: 10_000,
          operatorEmail: 'operator@example.test',
          ...overrides,
        }),
      });
      const body = (await response.json()) as { id: string };
      if (response.status !== 201)
        throw new Error(`catalog refused the tour: ${JSON.stringify(body)}`);
      return body.id;
    },
    async bookedSeats(tourId) {
      const response = await fetch(`${catalogServer.url}/v1/tours/${tourId}/availability`);
      return ((await response.json()) as { bookedSeats: number }).bookedSeats;
    },
    async count(table) {
      const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      return Number(rows[0]!.n);
    },
    async close() {
      await catalogServer.close();
      await catalog.close();
      await pool.end();
      await dropTestDatabase(name);
      await dropTestDatabase(catalogDbName);
    },
  };
}

export const userA = '00000000-0000-4000-8000-00000000000a';
export const userB = '00000000-0000-4000-8000-00000000000b';
