/**
 * Fixtures for tests, booking's own and other workspaces' (`@tourkit/booking/testing`): the real
 * booking service on a test database of its own, and bookings written through booking's store.
 */
import { randomUUID } from 'node:crypto';
import { createLogger, runMigrations } from '@tourkit/kit';
import { createTestDatabase, dropTestDatabase, testRedisUrl } from '@tourkit/kit/testing';
import { createBookingApp, type BookingApp, type BookingAppOptions } from './app.js';
import { loadBookingConfig } from './config.js';
import type { Booking } from './domain/booking.js';
import { MIGRATIONS_DIR } from './server.js';
import { insertBooking, type NewBooking } from './store/bookings.js';

export type { BookingApp, BookingAppOptions } from './app.js';

export interface TestBookingOptions extends BookingAppOptions {
  /** Variables over the test defaults; JWT_PUBLIC_KEY, INTERNAL_TOKEN and the upstream URLs are the caller's to give. */
  env: Record<string, string>;
}

export interface TestBooking extends BookingApp {
  databaseUrl: string;
  /** Closes the app, empties its queue and drops its database. */
  dispose(): Promise<void>;
}

/**
 * The real booking service built in-process on `tourkit_<name>_test`, migrated, with a queue prefix
 * of its own; nothing listens and no background work runs until the caller starts it.
 */
export async function startTestBooking(
  name: string,
  options: TestBookingOptions,
): Promise<TestBooking> {
  const databaseUrl = await createTestDatabase(name);
  await runMigrations(databaseUrl, MIGRATIONS_DIR);
  const { env, ...appOptions } = options;
  const booking = createBookingApp(
    loadBookingConfig({
      DATABASE_URL: databaseUrl,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: `test:booking:${name}:${randomUUID()}`,
      LOG_LEVEL: 'silent',
      // A test key; a caller may give its own (the e2e platform does).
      PAYMENT_LINK_SECRET: 'booking-test-payment-link-secret-0123456789',
      ...env,
    }),
    { logger: createLogger('booking-test', 'silent'), ...appOptions },
  );
  return Object.assign(booking, {
    databaseUrl,
    async dispose() {
      await booking.background.queue.obliterate({ force: true }).catch(() => undefined);
      await booking.close();
      await dropTestDatabase(name);
    },
  });
}

/** What addTestBooking needs; the rest has a plain default (1 traveller, FR, 10.00 € + VAT). */
export type TestBookingFields = Pick<NewBooking, 'userId' | 'tourId' | 'status' | 'tourStartsAt'> &
  Partial<NewBooking>;

/** A booking with a plain price (1 traveller), written straight into booking's store: for states the API cannot reach in a test (a tour already started). */
export async function addTestBooking(
  booking: Pick<BookingApp, 'pool'>,
  fields: TestBookingFields,
): Promise<Booking> {
  return insertBooking(booking.pool, {
    travellers: 1,
    country: 'FR',
    promoCode: null,
    unitPriceCents: 1_000,
    basePriceCents: 1_000,
    discountCents: 0,
    subtotalCents: 1_000,
    vatBasisPoints: 2_000,
    taxCents: 200,
    totalCents: 1_200,
    rulesApplied: [],
    ...fields,
  });
}
