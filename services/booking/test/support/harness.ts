import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import {
  HealthRegistry,
  createLogger,
  createMetrics,
  createPool,
  createServiceClient,
  runMigrations,
  type Pool,
  type ServerHandle,
} from '@tourkit/kit';
import {
  createTestAuth,
  createTestDatabase,
  dropTestDatabase,
  listenForTests,
  testRedisUrl,
  type TestAuth,
} from '@tourkit/kit/testing';
// The real payment service, in-process on its own test database.
import { PAYMENT_INTERNAL_TOKEN, startPaymentApp } from '../../../payment/test/harness.js';
import type { PaymentApp } from '../../../payment/src/app.js';
import type { SimulatorSettingsPatch } from '../../../payment/src/provider/simulator-settings.js';
// The real catalog service, in-process on its own test database: booking talks to it over HTTP
// exactly as in production (GET /v1/tours/:id, POST /internal/tours/:id/seats).
import type { CatalogApp } from '../../../catalog/src/app.js';
import { migratedTestDatabase, startTestCatalog } from '../../../catalog/test/helpers.js';
import { buildBookingApp } from '../../src/app.js';
import { createCatalog } from '../../src/catalog-client.js';
import {
  createPaymentFlow,
  type PaymentFlow,
  type PaymentFlowOptions,
} from '../../src/payment/flow.js';
import { defaultPricingRules, type PricingRules } from '../../src/pricing/index.js';

export const INTERNAL_TOKEN = 'booking-test-internal-token';
const bookingMigrations = fileURLToPath(new URL('../../migrations', import.meta.url));

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
  /** The real payment service and its simulator. */
  payment: PaymentApp;
  simulator(settings: SimulatorSettingsPatch): Promise<void>;
  /** Stops (close) and starts again (listen) the payment service on the same port. */
  paymentDown(): Promise<void>;
  paymentUp(): Promise<void>;
  flow: PaymentFlow;
  /** What the notification stand-in received, in order. */
  notifications: RecordedNotification[];
  /** While set, the notification stand-in answers 503. */
  setNotificationOutage(down: boolean): void;
  close(): Promise<void>;
}

export interface RecordedNotification {
  type: string;
  dedupeKey: string;
  userId?: string;
  email?: string;
  bookingId?: string;
  tourId?: string;
  data?: Record<string, unknown>;
  token: string | undefined;
}

export interface HarnessOptions {
  now?: () => Date;
  rules?: PricingRules;
  /** Overrides of the payment flow (fast retries, a small breaker, …). */
  flow?: Partial<PaymentFlowOptions>;
}

/** Test-speed defaults: the seed's shape (6 attempts, doubling delays, 50 % errors) at 50 ms. */
export const FAST_FLOW: Partial<PaymentFlowOptions> = {
  retry: { attempts: 6, baseDelayMs: 50 },
  breaker: {
    timeoutMs: 5_000,
    errorThresholdPercentage: 50,
    resetTimeoutMs: 30_000,
    volumeThreshold: 5,
  },
  outboxIntervalMs: 50,
  outboxRetryBaseMs: 50,
  expirySweepIntervalMs: 60_000,
  requeueIntervalMs: 60_000,
};

/** Booking + real catalog, each on its own test database named after `name` (unique per test file). */
export async function startHarness(name: string, options: HarnessOptions = {}): Promise<Harness> {
  const auth = createTestAuth();
  const logger = createLogger('booking-test', 'silent');

  const catalogDbName = `${name}_catalog`;
  const catalog = await startTestCatalog(await migratedTestDatabase(catalogDbName), {
    auth,
    env: { INTERNAL_TOKEN },
    logger,
  });

  const payment = await startPaymentApp(`${name}_payment`, { logger });
  let paymentServer: ServerHandle = await listenForTests(payment.app, {
    health: payment.health,
    logger,
  });
  const paymentPort = paymentServer.port;

  const notifications: RecordedNotification[] = [];
  let notificationDown = false;
  const notificationServer = await startNotificationStandIn(notifications, () => notificationDown);

  const dbUrl = await createTestDatabase(name);
  await runMigrations(dbUrl, bookingMigrations);
  const pool = createPool(dbUrl, { name: 'db' });
  const client = createServiceClient({
    name: 'catalog',
    baseUrl: catalog.url,
    timeoutMs: 5_000,
    headers: { 'x-internal-token': INTERNAL_TOKEN },
  });
  const catalogPort = createCatalog(client);
  const metrics = createMetrics('booking', { defaultMetrics: false });
  const health = new HealthRegistry();
  // Booking sends INTERNAL_TOKEN everywhere; the payment app under test expects its own.
  const flow = createPaymentFlow({
    pool,
    logger,
    metrics,
    health,
    catalog: catalogPort,
    payment: createServiceClient({
      name: 'payment',
      baseUrl: `http://127.0.0.1:${paymentPort}`,
      timeoutMs: 5_000,
      retries: 0,
      headers: { 'x-internal-token': PAYMENT_INTERNAL_TOKEN },
    }),
    notification: createServiceClient({
      name: 'notification',
      baseUrl: notificationServer.url,
      timeoutMs: 2_000,
      retries: 0,
      headers: { 'x-internal-token': INTERNAL_TOKEN },
    }),
    redisUrl: testRedisUrl(),
    queuePrefix: `test:booking:${name}:${randomUUID()}`,
    retry: { attempts: 6, baseDelayMs: 1_000 },
    breaker: {
      timeoutMs: 5_000,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 30_000,
      volumeThreshold: 5,
    },
    workerConcurrency: 5,
    publicUrl: 'http://tourkit.test',
    supportEmail: 'support@tourkit.test',
    reservationTtlMs: 24 * 3_600_000,
    outboxIntervalMs: 1_000,
    outboxRetryBaseMs: 1_000,
    expirySweepIntervalMs: 60_000,
    requeueIntervalMs: 60_000,
    ...(options.now ? { now: options.now } : {}),
    ...options.flow,
  });
  const app = buildBookingApp({
    logger,
    metrics,
    health,
    pool,
    catalog: catalogPort,
    payments: flow,
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
    catalogUrl: catalog.url,
    async createTour(overrides = {}) {
      const response = await fetch(`${catalog.url}/v1/tours`, {
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
      const response = await fetch(`${catalog.url}/v1/tours/${tourId}/availability`);
      return ((await response.json()) as { bookedSeats: number }).bookedSeats;
    },
    async count(table) {
      const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      return Number(rows[0]!.n);
    },
    payment,
    async simulator(settings) {
      await payment.simulator.updateSettings(settings);
    },
    async paymentDown() {
      await paymentServer.close();
    },
    async paymentUp() {
      paymentServer = await listenForTests(payment.app, {
        port: paymentPort,
        health: payment.health,
        logger,
      });
    },
    flow,
    notifications,
    setNotificationOutage(down) {
      notificationDown = down;
    },
    async close() {
      await flow.queue.obliterate({ force: true }).catch(() => undefined);
      await flow.close();
      await paymentServer.close();
      await payment.dispose();
      await new Promise<void>((resolve) => notificationServer.server.close(() => resolve()));
      await catalog.stop();
      await pool.end();
      await dropTestDatabase(name);
      await dropTestDatabase(catalogDbName);
    },
  };
}

export const userA = '00000000-0000-4000-8000-00000000000a';
export const userB = '00000000-0000-4000-8000-00000000000b';

/** A small real HTTP server standing in for the notification service: records what booking sends. */
async function startNotificationStandIn(
  received: RecordedNotification[],
  isDown: () => boolean,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/internal/notifications') {
        res.writeHead(404).end();
        return;
      }
      if (isDown()) {
        res.writeHead(503, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ status: 503, title: 'down for the test' }));
        return;
      }
      const token = req.headers['x-internal-token'];
      received.push({ ...JSON.parse(body), token: typeof token === 'string' ? token : undefined });
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: randomUUID(), status: 'queued' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Polls `probe` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
