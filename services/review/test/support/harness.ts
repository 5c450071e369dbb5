import { fileURLToPath } from 'node:url';
import { createLogger, runMigrations } from '@tourkit/kit';
import {
  closedPort,
  createTestAuth,
  createTestDatabase,
  dropTestDatabase,
  listenForTests,
  type TestAuth,
} from '@tourkit/kit/testing';
// The real catalog and booking services, in-process on their own test databases: review talks to
// them over HTTP exactly as in production.
import { addTestBooking, startTestBooking } from '@tourkit/booking/testing';
import {
  createTestTour,
  migratedTestDatabase,
  startTestCatalog,
  type TestCatalog,
} from '@tourkit/catalog/testing';
import { startNotificationRecorder, type RecordedRequest } from '@tourkit/notification/testing';
import { createReviewApp, type ReviewApp } from '../../src/app.js';
import { loadReviewConfig } from '../../src/config.js';

export const INTERNAL_TOKEN = 'review-test-internal-token';
const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface Harness {
  review: ReviewApp;
  url: string;
  auth: TestAuth;
  catalogUrl: string;
  /** Notifications the stand-in notification service accepted, in order. */
  notifications: RecordedRequest[];
  createTour(): Promise<string>;
  book(userId: string, tourId: string, status: string, tourStartsAt: Date): Promise<string>;
  /** The tour as the real catalog shows it. */
  catalogTour(tourId: string): Promise<{ ratingAverage: number | null; ratingCount: number }>;
  stopCatalog(): Promise<void>;
  /** Starts catalog again on the same port, as after a restart. */
  restartCatalog(): Promise<void>;
  close(): Promise<void>;
}

/** Review + real catalog + real booking (+ a recording notification stand-in), databases named after `name`. */
export async function startHarness(name: string, now: () => Date): Promise<Harness> {
  const auth = createTestAuth();
  const logger = createLogger('review-test', 'silent');

  const catalogDb = `${name}_catalog`;
  const catalogDbUrl = await migratedTestDatabase(catalogDb);
  const catalogOptions = { auth, env: { INTERNAL_TOKEN }, logger };
  let catalog: TestCatalog | undefined = await startTestCatalog(catalogDbUrl, catalogOptions);
  const { url: catalogUrl, port: catalogPort } = catalog;
  const stopCatalog = async () => {
    await catalog?.stop();
    catalog = undefined;
  };
  const restartCatalog = async () => {
    catalog = await startTestCatalog(catalogDbUrl, { ...catalogOptions, port: catalogPort });
  };

  // Review's tests only read bookings (fixtures come from booking's testing export, since a tour
  // date in the past cannot be booked through the API): the background runtime is built but never
  // started, and payment is a port nothing listens on.
  const booking = await startTestBooking(`${name}_booking`, {
    env: {
      JWT_PUBLIC_KEY: auth.publicKeyPem,
      INTERNAL_TOKEN,
      CATALOG_URL: catalogUrl,
      PAYMENT_URL: `http://127.0.0.1:${await closedPort()}`,
    },
    logger,
  });
  const bookingServer = await listenForTests(booking.app, { health: booking.health, logger });

  const recorder = await startNotificationRecorder({ internalToken: INTERNAL_TOKEN });

  const reviewDbUrl = await createTestDatabase(name);
  await runMigrations(reviewDbUrl, MIGRATIONS_DIR);
  const review = createReviewApp(
    loadReviewConfig({
      DATABASE_URL: reviewDbUrl,
      JWT_PUBLIC_KEY: auth.publicKeyPem,
      INTERNAL_TOKEN,
      BOOKING_URL: bookingServer.url,
      CATALOG_URL: catalogUrl,
      NOTIFICATION_URL: recorder.url,
      OUTBOX_POLL_MS: '50',
      OUTBOX_RETRY_BASE_MS: '20',
      OUTBOX_MAX_BACKOFF_MS: '200',
      UPSTREAM_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'silent',
    }),
    { logger, now },
  );
  review.outbox.start();
  const reviewServer = await listenForTests(review.app, { health: review.health, logger });

  return {
    review,
    url: reviewServer.url,
    auth,
    catalogUrl,
    notifications: recorder.received,
    createTour: () =>
      createTestTour(
        catalogUrl,
        INTERNAL_TOKEN,
        { title: 'Montmartre walk', durationHours: 2, capacity: 20, priceCents: 3_000 },
        10,
      ),
    async book(userId, tourId, status, tourStartsAt) {
      const added = await addTestBooking(booking, {
        userId,
        tourId,
        status: status as never,
        tourStartsAt,
        unitPriceCents: 3_000,
        basePriceCents: 3_000,
        subtotalCents: 3_000,
        taxCents: 600,
        totalCents: 3_600,
      });
      return added.id;
    },
    async catalogTour(tourId) {
      const response = await fetch(`${catalogUrl}/v1/tours/${tourId}`);
      return (await response.json()) as { ratingAverage: number | null; ratingCount: number };
    },
    stopCatalog,
    restartCatalog,
    async close() {
      await reviewServer.close();
      await review.close();
      await recorder.close();
      await bookingServer.close();
      await booking.dispose();
      await stopCatalog();
      await dropTestDatabase(name);
      await dropTestDatabase(catalogDb);
    },
  };
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
