import { randomUUID } from 'node:crypto';
import type { ApiClient } from '@tourkit/api-client';
import { bookingOf, createTour, placeBooking, signUp, type Traveller } from './support/actors.js';
import { apiClient, expectAnswer } from './support/api.js';
import { eventually } from './support/eventually.js';
import { expectStatus } from './support/http.js';
import { mailsOf } from './support/mail.js';
import { startPlatform, withLogsOnFailure, type Platform } from './support/platform.js';

// A traveller's whole journey across the seven real processes: sign up, search, quote, book,
// pay, confirmation e-mail, one reminder however often the job runs, then a review once the tour
// has taken place. The public API is called with the generated typed client (@tourkit/api-client),
// every answer checked against the public document; the operator's set-up and the jobs use the
// services' internal APIs.

const HOUR = 3_600_000;
/** Lead time of the tour the traveller reviews: long enough to book it, short enough to wait for. */
const SHORT_LEAD_MS = 15_000;

let platform: Platform | undefined;

beforeAll(async () => {
  platform = await startPlatform('journey', {
    env: {
      booking: { PAYMENT_RETRY_BASE_MS: '200' },
      // Once a year: the test runs the sweep itself, and the schedule must not run it meanwhile.
      notification: { REMINDER_CRON: '0 0 1 1 *' },
    },
  });
}, 240_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

test(
  'sign up → search → quote → book → paid → confirmation e-mail → one reminder for two job runs → review once, catalog rating updated',
  withLogsOnFailure(
    () => platform,
    async () => {
      const p = platform!;
      const operatorEmail = `operator-${randomUUID().slice(0, 8)}@example.test`;
      const anonymous = apiClient(p.url.gateway!);
      const ada = await signUp(p, 'ada');
      const me = expectAnswer(await ada.client.GET('/v1/users/me'), 200, 'profile');
      expect(me).toMatchObject({ id: ada.id, email: ada.email, country: 'FR' });

      // The operator's tours: one this evening (within the reminder window), one elsewhere.
      const evening = await createTour(p, {
        title: 'Louvre after dark',
        destination: 'Paris',
        country: 'FR',
        startsAt: new Date(Date.now() + 3 * HOUR),
        priceCents: 5_000,
        operatorEmail,
      });
      await createTour(p, {
        title: 'Traboules of Lyon',
        destination: 'Lyon',
        country: 'FR',
        startsAt: new Date(Date.now() + 4 * HOUR),
        priceCents: 3_000,
        operatorEmail,
      });

      // The gateway documents the services it fronts, fetched from the running processes.
      for (const service of ['catalog', 'booking', 'review', 'user'] as const) {
        const document = await anonymous.GET('/v1/openapi/{service}.yaml', {
          params: { path: { service } },
          parseAs: 'text',
        });
        expect(expectAnswer(document, 200, `${service}'s document`)).toMatch(/^openapi: 3\.1/m);
      }

      // Search through the gateway, anonymously.
      const search = expectAnswer(
        await anonymous.GET('/v1/tours', {
          params: { query: { destination: 'Paris', available: 'true' } },
        }),
        200,
        'search Paris',
      );
      expect(search.items.map((tour) => tour.title)).toEqual(['Louvre after dark']);

      // Quote: 2 × 50 €, no discount three hours ahead, French VAT 20 % from the token's country.
      const quote = expectAnswer(
        await ada.client.POST('/v1/bookings/quote', {
          body: { tourId: evening.id, travellers: 2 },
        }),
        200,
        'quote',
      );
      expect(quote).toMatchObject({
        basePriceCents: 10_000,
        discountCents: 0,
        taxCents: 2_000,
        totalCents: 12_000,
        currency: 'EUR',
      });

      // Book, with a retried request (same Idempotency-Key) answered with the same booking.
      const key = `ada-evening-${randomUUID()}`;
      const booking = expectAnswer(await placeBooking(ada, evening.id, 2, key), 201, 'book');
      expect(booking.status).toBe('PENDING_PAYMENT');
      expect(booking.price.totalCents).toBe(quote.totalCents);
      const replay = expectAnswer(await placeBooking(ada, evening.id, 2, key), 201, 'book again');
      expect(replay.id).toBe(booking.id);

      // The tour Ada will review: it starts a few seconds from now.
      const past = await createTour(p, {
        title: 'Montmartre at dawn',
        destination: 'Paris',
        country: 'FR',
        startsAt: new Date(Date.now() + SHORT_LEAD_MS),
        priceCents: 2_500,
        operatorEmail,
      });
      const dawn = expectAnswer(
        await placeBooking(ada, past.id, 1, `ada-dawn-${randomUUID()}`),
        201,
        'book the dawn tour',
      );

      // Payment runs through booking's queue and the payment service: CONFIRMED, charged once.
      for (const id of [booking.id, dawn.id]) {
        await eventually(`booking ${id} CONFIRMED`, async () => {
          const current = await bookingOf(ada, id);
          return current.status === 'CONFIRMED' ? current : undefined;
        });
      }
      const payments = expectStatus(
        await p.internal('payment').get(`/internal/payments?bookingId=${booking.id}`),
        200,
        'payments of the booking',
      );
      const charges = payments.items;
      expect(charges).toHaveLength(1);
      expect(charges[0]).toMatchObject({ status: 'SUCCEEDED', amountCents: 12_000 });
      expect((await bookingOf(ada, booking.id)).paymentId).toBe(charges[0].id);

      // The confirmation e-mail, enriched with the user and the tour.
      await p.smtp.waitFor(
        (messages) => mailsOf(messages, `booking-confirmed:${booking.id}`).length > 0,
        30_000,
      );
      const [confirmation] = mailsOf(p.smtp.messages, `booking-confirmed:${booking.id}`);
      expect(confirmation!.envelope.to).toEqual([ada.email]);
      expect(confirmation!.body).toContain('Louvre after dark');

      // The dawn tour starts; the evening one is still ahead (within 24 h).
      await eventually(
        'the dawn tour to have started',
        () => Date.now() > Date.parse(past.startsAt),
        {
          timeoutMs: SHORT_LEAD_MS + 5_000,
        },
      );

      // The reminder job, run twice: one reminder.
      const notification = p.internal('notification');
      const first = expectStatus(
        await notification.post('/internal/jobs/reminders/run'),
        200,
        'first reminder run',
      );
      const second = expectStatus(
        await notification.post('/internal/jobs/reminders/run'),
        200,
        'second reminder run',
      );
      expect(first).toEqual({ bookings: 1, queued: 1, duplicates: 0 });
      expect(second).toEqual({ bookings: 1, queued: 0, duplicates: 1 });
      await p.smtp.waitFor(
        (messages) =>
          mailsOf(
            messages,
            `reminder:${booking.id}:${new Date(booking.tourStartsAt).toISOString()}`,
          ).length > 0,
        30_000,
      );
      const reminders = mailsOf(
        p.smtp.messages,
        `reminder:${booking.id}:${new Date(booking.tourStartsAt).toISOString()}`,
      );
      expect(reminders).toHaveLength(1);
      expect(reminders[0]!.envelope.to).toEqual([ada.email]);
      expect(reminders[0]!.body).toContain('Louvre after dark');
      expect(
        mailsOf(
          p.smtp.messages,
          `reminder:${dawn.id}:${new Date(dawn.tourStartsAt).toISOString()}`,
        ),
      ).toHaveLength(0);

      await reviewOnce(p, anonymous, ada, past.id, evening.id, operatorEmail);

      // Still one reminder and one confirmation, seconds later.
      expect(
        mailsOf(
          p.smtp.messages,
          `reminder:${booking.id}:${new Date(booking.tourStartsAt).toISOString()}`,
        ),
      ).toHaveLength(1);
      expect(mailsOf(p.smtp.messages, `booking-confirmed:${booking.id}`)).toHaveLength(1);
    },
  ),
  180_000,
);

/** Review rules through the gateway: taken place → accepted once; catalog's rating follows. */
async function reviewOnce(
  p: Platform,
  anonymous: ApiClient,
  ada: Traveller,
  pastTourId: string,
  upcomingTourId: string,
  operatorEmail: string,
): Promise<void> {
  const review = (client: ApiClient, tourId: string, body: { rating: number; comment?: string }) =>
    client.POST('/v1/tours/{tourId}/reviews', { params: { path: { tourId } }, body });

  const tooEarly = await review(ada.client, upcomingTourId, { rating: 5 });
  expect(tooEarly.response.status).toBe(403);
  expect(tooEarly.error).toMatchObject({ reason: 'not-taken-place' });

  const unsigned = await review(anonymous, pastTourId, { rating: 4 });
  expect(unsigned.response.status).toBe(401);

  const posted = expectAnswer(
    await review(ada.client, pastTourId, { rating: 4, comment: 'Empty streets, golden light.' }),
    201,
    'review',
  );
  const again = await review(ada.client, pastTourId, { rating: 1 });
  expect(again.response.status).toBe(409);
  expect(again.error?.type).toMatch(/already-reviewed$/);

  const listed = expectAnswer(
    await anonymous.GET('/v1/tours/{tourId}/reviews', { params: { path: { tourId: pastTourId } } }),
    200,
    'list reviews',
  );
  expect(listed.items).toHaveLength(1);
  expect(listed.items[0]).toMatchObject({ id: posted.id, rating: 4 });

  // Catalog's summary arrives through review's outbox.
  await eventually('catalog rating 4 from 1 review', async () => {
    const tour = expectAnswer(
      await anonymous.GET('/v1/tours/{id}', { params: { path: { id: pastTourId } } }),
      200,
      'tour',
    );
    return tour.ratingCount === 1 && tour.ratingAverage === 4;
  });
  expect(
    expectAnswer(
      await anonymous.GET('/v1/tours/{tourId}/rating', {
        params: { path: { tourId: pastTourId } },
      }),
      200,
      'rating',
    ),
  ).toMatchObject({ average: 4, count: 1 });

  // The operator hears of it.
  await p.smtp.waitFor(
    (messages) => mailsOf(messages, `review-posted:${posted.id}`).length > 0,
    30_000,
  );
  expect(mailsOf(p.smtp.messages, `review-posted:${posted.id}`)[0]!.envelope.to).toEqual([
    operatorEmail,
  ]);
}
