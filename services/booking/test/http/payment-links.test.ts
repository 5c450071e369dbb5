import request from 'supertest';
import { FAST_FLOW, eventually, startHarness, userA, type Harness } from '../support/harness.js';

// The e-mailed pay-later link: a signed, single-use, expiring capability that opens the
// reservation and pays it without a bearer token (src/domain/payment-link.ts).
describe('payment links', () => {
  let h: Harness;
  let asA: { authorization: string };
  let clockOffsetMs = 0;
  let key = 0;

  beforeAll(async () => {
    h = await startHarness('booking_paylink', {
      now: () => new Date(Date.now() + clockOffsetMs),
      env: FAST_FLOW,
    });
    asA = await h.auth.authHeader(userA);
    h.background.startWorker();
    h.background.start();
  });

  afterAll(async () => {
    await h?.close();
  });

  /** A pay-later reservation (circuit forced open) and the link its e-mail carries. */
  async function reserve(tourId: string) {
    h.background.breaker.open();
    const res = await request(h.app)
      .post('/v1/bookings')
      .set(asA)
      .set('Idempotency-Key', `paylink-${++key}`)
      .send({ tourId, travellers: 2 });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('RESERVED_PENDING_PAYMENT');
    const id = res.body.id as string;
    const email = await eventually(() =>
      h.notifications.find((n) => n.type === 'payment-link' && n.bookingId === id),
    );
    const url = new URL(String(email.data?.paymentLink));
    expect(`${url.origin}${url.pathname}`).toBe(`http://tourkit.test/pay/${id}`);
    return { id, token: url.searchParams.get('t')!, body: res.body, email };
  }
  const view = (id: string, t?: string) =>
    request(h.app)
      .get(`/v1/payment-links/${id}`)
      .query(t === undefined ? {} : { t });
  const pay = (id: string, body: unknown) =>
    request(h.app)
      .post(`/v1/payment-links/${id}/pay`)
      .send(body as object);
  const fieldsOf = (body: { errors?: Array<{ field: string }> }) =>
    (body.errors ?? []).map((e) => e.field);

  test('the link opens the reservation without a bearer token, showing what is paid and nothing else personal', async () => {
    const tourId = await h.createTour();
    const { id, token, body, email } = await reserve(tourId);
    expect(email.data).toMatchObject({
      expiresAt: body.expiresAt,
      totalCents: body.price.totalCents,
    });
    const res = await view(id, token);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      bookingId: id,
      tourId,
      tourStartsAt: body.tourStartsAt,
      travellers: 2,
      status: 'RESERVED_PENDING_PAYMENT',
      price: {
        subtotalCents: body.price.subtotalCents,
        taxCents: body.price.taxCents,
        totalCents: body.price.totalCents,
        currency: 'EUR',
      },
      expiresAt: body.expiresAt,
      used: false,
    });
    h.background.breaker.close();
  });

  test('a missing, tampered or other booking’s token is refused naming `t`; nothing is paid', async () => {
    const tourId = await h.createTour();
    const one = await reserve(tourId);
    const two = await reserve(tourId);
    h.background.breaker.close();

    const missing = await view(one.id);
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.body)).toEqual(['t']);
    const badId = await view('not-a-uuid', one.token);
    expect(badId.status).toBe(400);
    expect(fieldsOf(badId.body)).toEqual(['bookingId']);

    const [expiry, mac] = one.token.split('.') as [string, string];
    const tampered = `${expiry}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    const later = `${(Number.parseInt(expiry, 36) + 86_400_000).toString(36)}.${mac}`;
    for (const [id, t] of [
      [one.id, tampered],
      [one.id, later],
      [one.id, two.token],
      [two.id, one.token],
      ['00000000-0000-4000-8000-000000000000', one.token],
    ] as const) {
      const read = await view(id, t);
      expect(read.status).toBe(403);
      expect(read.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(read.body.type).toBe('https://tourkit.dev/problems/payment-link-invalid');
      expect(fieldsOf(read.body)).toEqual(['t']);
      const paid = await pay(id, { t });
      expect(paid.status).toBe(403);
      expect(fieldsOf(paid.body)).toEqual(['t']);
    }
    expect((await pay(one.id, {})).status).toBe(400);
    expect((await pay(one.id, { t: one.token, extra: 1 })).status).toBe(400);
    expect((await view(one.id, one.token)).body.status).toBe('RESERVED_PENDING_PAYMENT');
    expect((await view(two.id, two.token)).body.status).toBe('RESERVED_PENDING_PAYMENT');
  });

  test('paying: 503 while the circuit is open (the link stays usable), then 202 once, CONFIRMED, and the link is used', async () => {
    const tourId = await h.createTour();
    const { id, token } = await reserve(tourId);

    const tooSoon = await pay(id, { t: token });
    expect(tooSoon.status).toBe(503);
    expect((await view(id, token)).body).toMatchObject({
      status: 'RESERVED_PENDING_PAYMENT',
      used: false,
    });

    h.background.breaker.close();
    // Two clicks at once: the link pays once.
    const answers = await Promise.all([pay(id, { t: token }), pay(id, { t: token })]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    const accepted = answers.find((a) => a.status === 202)!;
    expect(accepted.body).toMatchObject({ bookingId: id, status: 'PENDING_PAYMENT', used: true });
    const refused = answers.find((a) => a.status === 409)!;
    expect(refused.body.type).toBe('https://tourkit.dev/problems/payment-link-used');
    expect(fieldsOf(refused.body)).toEqual(['t']);

    // The page follows the payment through the used link.
    await eventually(
      async () => (await view(id, token)).body.status === 'CONFIRMED',
      15_000,
      'the booking to be CONFIRMED',
    );
    expect((await view(id, token)).body.used).toBe(true);
    const again = await pay(id, { t: token });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('https://tourkit.dev/problems/payment-link-used');
    // One charge for the booking, as the signed-in owner sees it.
    const owner = await request(h.app).get(`/v1/bookings/${id}`).set(asA);
    expect(owner.body).toMatchObject({ status: 'CONFIRMED', paymentAttempts: 1 });
  });

  test('any other path under /v1/payment-links is no route (404), never a demand for a bearer token', async () => {
    for (const [method, path] of [
      ['post', '/v1/payment-links//pay'],
      ['get', '/v1/payment-links/'],
      ['get', '/v1/payment-links/x/y/z'],
    ] as const) {
      const res = await request(h.app)[method](path).send({ t: 'x' });
      expect({ path, status: res.status, type: res.body.type }).toEqual({
        path,
        status: 404,
        type: 'https://tourkit.dev/problems/not-found',
      });
    }
  });

  test('an expired link is 410 naming `t`, for reading and paying; nothing moves', async () => {
    const tourId = await h.createTour();
    const { id, token } = await reserve(tourId);
    h.background.breaker.close();
    clockOffsetMs = 24 * 3_600_000 + 60_000;
    try {
      for (const res of [await view(id, token), await pay(id, { t: token })]) {
        expect(res.status).toBe(410);
        expect(res.body.type).toBe('https://tourkit.dev/problems/payment-link-expired');
        expect(fieldsOf(res.body)).toEqual(['t']);
      }
    } finally {
      clockOffsetMs = 0;
    }
    // Not spent: back before the expiry (an injected clock) it still opens, unused.
    expect((await view(id, token)).body.used).toBe(false);
  });

  test('a reservation paid by its signed-in owner cannot be paid again through the link', async () => {
    const tourId = await h.createTour();
    const { id, token } = await reserve(tourId);
    h.background.breaker.close();
    expect((await request(h.app).post(`/v1/bookings/${id}/pay`).set(asA)).status).toBe(202);
    const res = await pay(id, { t: token });
    expect(res.status).toBe(409);
    await eventually(async () => (await view(id, token)).body.status === 'CONFIRMED');
  });
});
