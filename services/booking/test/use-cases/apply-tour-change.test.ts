import request from 'supertest';
import { createLogger, type ServerHandle } from '@tourkit/kit';
import { listenForTests } from '@tourkit/kit/testing';
import { startTestCatalog, type TestCatalog } from '@tourkit/catalog/testing';
import { paymentsOf } from '@tourkit/payment/testing';
import {
  FAST_FLOW,
  INTERNAL_TOKEN,
  eventually,
  startHarness,
  userA,
  userB,
  postBooking,
  startBackground,
  type Harness,
} from '../support/harness.js';

// Catalog → (its outbox) → booking → (booking's outbox) → notification and payment, all real.
describe('tour changes reach bookings', () => {
  let h: Harness;
  let bookingServer: ServerHandle;
  let catalog: TestCatalog;
  const internal = { 'x-internal-token': INTERNAL_TOKEN };
  let key = 0;

  beforeAll(async () => {
    h = await startHarness('booking_tour_change', {
      env: { ...FAST_FLOW, PAYMENT_BREAKER_VOLUME: '1000' },
    });
    await startBackground(h);
    bookingServer = await listenForTests(h.app, {
      health: h.booking.health,
      logger: createLogger('booking-test', 'silent'),
    });
    // A catalog pod on the harness's catalog database whose outbox delivers to this booking.
    catalog = await startTestCatalog(h.catalog.config.DATABASE_URL, {
      auth: h.auth,
      env: {
        INTERNAL_TOKEN,
        BOOKING_URL: bookingServer.url,
        OUTBOX_INTERVAL_MS: '50',
        OUTBOX_RETRY_BASE_MS: '50',
      },
    });
    catalog.outbox.start();
  });

  afterAll(async () => {
    await catalog?.stop();
    await bookingServer?.close();
    await h?.close();
  });

  async function book(user: string, tourId: string, travellers = 2) {
    const res = await postBooking(h, await h.auth.authHeader(user), `tour-change-${++key}`, {
      tourId,
      travellers,
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; price: { totalCents: number } };
  }
  const bookingOf = async (user: string, id: string) =>
    (
      await request(h.app)
        .get(`/v1/bookings/${id}`)
        .set(await h.auth.authHeader(user))
    ).body;
  const settled = (user: string, id: string, status: string) =>
    eventually(async () => {
      const booking = await bookingOf(user, id);
      return booking.status === status ? booking : undefined;
    }, 20_000);
  const emails = (bookingId: string) =>
    h.notifications.filter((n) => n.type === 'tour-changed' && n.bookingId === bookingId);

  test('a new start time moves every active booking, and each traveller is told once', async () => {
    const tourId = await h.createTour();
    const paid = await book(userA, tourId);
    await settled(userA, paid.id, 'CONFIRMED');
    const other = await book(userB, tourId, 1);
    await settled(userB, other.id, 'CONFIRMED');
    const startsAt = '2031-06-01T07:30:00.000Z';

    await request(catalog.url)
      .patch(`/v1/tours/${tourId}`)
      .set(internal)
      .send({ startsAt })
      .expect(200);

    await eventually(async () => (await bookingOf(userA, paid.id)).tourStartsAt === startsAt);
    await eventually(async () => (await bookingOf(userB, other.id)).tourStartsAt === startsAt);
    await eventually(() => emails(paid.id).length === 1 && emails(other.id).length === 1);
    expect(emails(paid.id)[0]).toMatchObject({
      userId: userA,
      tourId,
      dedupeKey: `tour-changed:${paid.id}:${startsAt}`,
      data: { status: 'SCHEDULED', startsAt, timeZone: 'Europe/Paris' },
      token: INTERNAL_TOKEN,
    });

    // The same body again (a redelivery) changes nothing and e-mails nobody.
    const again = await request(bookingServer.url)
      .post(`/internal/tours/${tourId}/changed`)
      .set(internal)
      .send({ startsAt, status: 'SCHEDULED', timeZone: 'Europe/Paris' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ rescheduled: 0, cancelled: 0 });
    // A change that touches nothing booking cares about sends nothing.
    await request(catalog.url)
      .patch(`/v1/tours/${tourId}`)
      .set(internal)
      .send({ title: 'Renamed' })
      .expect(200);
    const { rows } = await catalog.primary.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE payload->>'tourId' = $1`,
      [tourId],
    );
    expect(rows[0]!.n).toBe(1);
    await eventually(async () => {
      const pending = await catalog.primary.query(
        'SELECT 1 FROM outbox WHERE delivered_at IS NULL',
      );
      return pending.rowCount === 0;
    });
    expect(emails(paid.id)).toHaveLength(1);
    expect(emails(other.id)).toHaveLength(1);
  });

  test('a cancelled tour cancels its bookings, refunds the paid one and tells each traveller once', async () => {
    const tourId = await h.createTour();
    const paid = await book(userA, tourId, 3);
    const confirmed = await settled(userA, paid.id, 'CONFIRMED');
    expect(await h.bookedSeats(tourId)).toBe(3);

    await request(catalog.url).post(`/v1/tours/${tourId}/cancel`).set(internal).expect(200);
    // Twice: the second is a no-op, booking hears of it once.
    const second = await request(catalog.url)
      .post(`/v1/tours/${tourId}/cancel`)
      .set(internal)
      .expect(200);
    expect(second.body).toMatchObject({ status: 'CANCELLED' });

    const refunded = await eventually(async () => {
      const booking = await bookingOf(userA, paid.id);
      return booking.status === 'CANCELLED' && booking.refundId ? booking : undefined;
    }, 20_000);
    expect(refunded.cancelledAt).not.toBeNull();
    const [payment] = await paymentsOf(h.payment, paid.id);
    expect(payment!.refundedCents).toBe(confirmed.price.totalCents);
    await eventually(() => emails(paid.id).length === 1);
    expect(emails(paid.id)[0]).toMatchObject({
      dedupeKey: `tour-cancelled:${paid.id}`,
      data: { status: 'CANCELLED' },
    });
    // No one books a cancelled tour: catalog refuses the seats.
    const refused = await postBooking(h, await h.auth.authHeader(userB), `tour-change-${++key}`, {
      tourId,
      travellers: 1,
    });
    expect(refused.status).toBe(409);
  });

  test('400 naming the field for a bad body, 401 without the token', async () => {
    const tourId = await h.createTour();
    const bad = await request(bookingServer.url)
      .post(`/internal/tours/${tourId}/changed`)
      .set(internal)
      .send({ startsAt: 'soon', status: 'POSTPONED', timeZone: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'startsAt',
      'status',
      'timeZone',
    ]);
    await request(bookingServer.url)
      .post(`/internal/tours/${tourId}/changed`)
      .send({ startsAt: new Date().toISOString(), status: 'SCHEDULED', timeZone: 'UTC' })
      .expect(401);
  });
});
