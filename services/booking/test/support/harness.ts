import request from 'supertest';
import type { Express } from 'express';
import { createLogger, type Pool, type ServerHandle } from '@tourkit/kit';
import {
  createTestAuth,
  dropTestDatabase,
  listenForTests,
  type TestAuth,
} from '@tourkit/kit/testing';
// The real catalog and payment services, in-process on their own test databases: booking talks to
// them over HTTP exactly as in production (GET /v1/tours/:id, POST /internal/tours/:id/seats,
// POST /internal/payments).
import {
  createTestTour,
  migratedTestDatabase,
  startTestCatalog,
  type TestCatalog,
} from '@tourkit/catalog/testing';
import { startNotificationRecorder } from '@tourkit/notification/testing';
import {
  startPaymentApp,
  type PaymentApp,
  type SimulatorSettingsPatch,
} from '@tourkit/payment/testing';
import type { BookingBackground } from '../../src/background/runtime.js';
import type { NotificationRequest } from '../../src/domain/outbox-messages.js';
import { startTestBooking, type BookingApp, type BookingAppOptions } from '../../src/testing.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';

export const INTERNAL_TOKEN = 'booking-test-internal-token';

export interface Harness {
  app: Express;
  pool: Pool;
  /** The booking service as createBookingApp built it. */
  booking: BookingApp;
  auth: TestAuth;
  catalog: TestCatalog;
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
  background: BookingBackground;
  /** What the notification recorder received, in order. */
  readonly notifications: RecordedNotification[];
  /** While set, the notification recorder answers 503. */
  setNotificationOutage(down: boolean): void;
  /** The fault proxies in front of catalog and payment (with `faults: true`). */
  proxies: { catalog?: FaultProxy; payment?: FaultProxy };
  close(): Promise<void>;
}

/** What booking sent notification (its request body), with the internal token it sent along. */
export type RecordedNotification = NotificationRequest & { token: string | undefined };

export interface HarnessOptions extends Pick<BookingAppOptions, 'now' | 'afterCharge'> {
  /** Booking's environment variables over the harness's (fast retries, a small breaker, …). */
  env?: Record<string, string>;
  /** Put a fault proxy (test/support/fault-proxy.ts) between booking and the real catalog and payment. */
  faults?: boolean;
}

/** Test-speed settings: the default shape (6 attempts, doubling delays, 50 % errors) at 50 ms. */
export const FAST_FLOW: Record<string, string> = {
  PAYMENT_RETRY_BASE_MS: '50',
  OUTBOX_INTERVAL_MS: '50',
  OUTBOX_RETRY_BASE_MS: '50',
};

/** Booking + real catalog + real payment, each on its own test database named after `name` (unique per test file). */
export async function startHarness(name: string, options: HarnessOptions = {}): Promise<Harness> {
  const auth = createTestAuth();
  const logger = createLogger('booking-test', 'silent');

  const catalogDbName = `${name}_catalog`;
  const catalog = await startTestCatalog(await migratedTestDatabase(catalogDbName), {
    auth,
    env: { INTERNAL_TOKEN },
    logger,
  });

  // Booking sends its one INTERNAL_TOKEN to catalog, payment and notification, as in the cluster.
  const payment = await startPaymentApp(`${name}_payment`, { logger, env: { INTERNAL_TOKEN } });
  let paymentServer: ServerHandle = await listenForTests(payment.app, {
    health: payment.health,
    logger,
  });
  const paymentPort = paymentServer.port;

  const recorder = await startNotificationRecorder();
  const paymentUrl = `http://127.0.0.1:${paymentPort}`;
  const proxies: Harness['proxies'] = options.faults
    ? {
        catalog: await startFaultProxy(catalog.url),
        payment: await startFaultProxy(paymentUrl),
      }
    : {};

  const booking = await startTestBooking(name, {
    env: {
      JWT_PUBLIC_KEY: auth.publicKeyPem,
      INTERNAL_TOKEN,
      CATALOG_URL: proxies.catalog?.url ?? catalog.url,
      CATALOG_TIMEOUT_MS: '5000',
      PAYMENT_URL: proxies.payment?.url ?? paymentUrl,
      NOTIFICATION_URL: recorder.url,
      PUBLIC_URL: 'http://tourkit.test',
      SUPPORT_EMAIL: 'support@tourkit.test',
      ...options.env,
    },
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.afterCharge ? { afterCharge: options.afterCharge } : {}),
  });
  const { app, pool, background } = booking;

  return {
    app,
    pool,
    booking,
    auth,
    catalog,
    catalogUrl: catalog.url,
    createTour: (overrides = {}) =>
      createTestTour(
        catalog.url,
        INTERNAL_TOKEN,
        {
          title: 'Paris by night',
          durationHours: 3,
          capacity: 20,
          priceCents: 10_000,
          ...overrides,
        },
        10,
      ),
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
    background,
    get notifications() {
      return recorder.received.map(({ headers, body }) => {
        const token = headers['x-internal-token'];
        return {
          ...(body as unknown as NotificationRequest),
          token: typeof token === 'string' ? token : undefined,
        };
      });
    },
    setNotificationOutage: recorder.setOutage,
    proxies,
    async close() {
      await booking.dispose();
      await proxies.catalog?.close();
      await proxies.payment?.close();
      await paymentServer.close();
      await payment.dispose();
      await recorder.close();
      await catalog.stop();
      await dropTestDatabase(catalogDbName);
    },
  };
}

export const userA = '00000000-0000-4000-8000-00000000000a';
export const userB = '00000000-0000-4000-8000-00000000000b';

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

/** A harness shared by one test file's tests, with userA's and userB's bearer headers. */
export interface FileHarness {
  h: Harness;
  asA: { authorization: string };
  asB: { authorization: string };
}

/**
 * Starts a harness before the calling file's tests (then `setup`, e.g. addTestPromos) and closes it
 * after them; the returned object is filled in by then, so tests read `t.h`, `t.asA`.
 */
export function harnessForFile(
  name: string,
  options: HarnessOptions & { setup?: (h: Harness) => Promise<unknown> } = {},
): FileHarness {
  const { setup, ...harnessOptions } = options;
  const file = {} as FileHarness;
  beforeAll(async () => {
    file.h = await startHarness(name, harnessOptions);
    file.asA = await file.h.auth.authHeader(userA);
    file.asB = await file.h.auth.authHeader(userB);
    await setup?.(file.h);
  });
  afterAll(async () => {
    await file.h?.close();
  });
  return file;
}

/** A harnessForFile setup: the payment worker and the outbox relay run, as they do in a pod. */
export async function startBackground(h: Harness): Promise<void> {
  h.background.startWorker();
  h.background.start();
}

/** The problem+json body of an answer (its content type asserted first). */
export function problemOf(res: request.Response) {
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  return res.body as {
    status: number;
    type: string;
    errors?: Array<{ field: string; message: string }>;
  };
}

/** The fields a 400 or 422 problem names. */
export const fieldsOf = (res: request.Response) =>
  (problemOf(res).errors ?? []).map((e) => e.field);

let keyCounter = 0;
/** A fresh Idempotency-Key (unique in the test process). */
export const newKey = () => `test-key-${Date.now()}-${++keyCounter}`;

/** The course's promo codes: a single-use one, an expired one and a reusable one. */
export async function addTestPromos(h: Harness): Promise<void> {
  await h.pool
    .query(`INSERT INTO promo_codes (code, percent, expires_at, single_use_per_user) VALUES
    ('SUMMER2025', 10, now() + interval '30 days', true),
    ('OLD5', 5, now() - interval '1 day', false),
    ('REUSE15', 15, NULL, false)`);
}

/** POST /v1/bookings with `headers` (a bearer) under Idempotency-Key `key`. */
export function postBooking(
  h: Harness,
  headers: Record<string, string>,
  key: string,
  body: Record<string, unknown>,
) {
  return request(h.app).post('/v1/bookings').set(headers).set('Idempotency-Key', key).send(body);
}

/** Two tours and userA's bookings of them (2 travellers on the first, 1 on the other). */
export async function bookTwoTours(h: Harness) {
  const asA = await h.auth.authHeader(userA);
  const tourId = await h.createTour({ capacity: 50 });
  const otherTourId = await h.createTour({ capacity: 50 });
  const res = await postBooking(h, asA, newKey(), { tourId, travellers: 2 });
  await postBooking(h, asA, newKey(), { tourId: otherTourId, travellers: 1 });
  return { tourId, otherTourId, bookingOfA: res.body.id as string };
}
