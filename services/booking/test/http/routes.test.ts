import request from 'supertest';
import { startHarness, userA, userB, type Harness } from '../support/harness.js';

let h: Harness;
let asA: { authorization: string };
let asB: { authorization: string };

beforeAll(async () => {
  h = await startHarness('booking_api');
  asA = await h.auth.authHeader(userA);
  asB = await h.auth.authHeader(userB);
  await h.pool
    .query(`INSERT INTO promo_codes (code, percent, expires_at, single_use_per_user) VALUES
    ('SUMMER2025', 10, now() + interval '30 days', true),
    ('OLD5', 5, now() - interval '1 day', false),
    ('REUSE15', 15, NULL, false)`);
});

afterAll(async () => {
  await h?.close();
});

const problemOf = (res: request.Response) => {
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  return res.body as {
    status: number;
    type: string;
    errors?: Array<{ field: string; message: string }>;
  };
};
const fields = (res: request.Response) => (problemOf(res).errors ?? []).map((e) => e.field);

let keyCounter = 0;
const newKey = () => `test-key-${Date.now()}-${++keyCounter}`;

describe('POST /v1/bookings/quote', () => {
  test('prices the course example: base × travellers, promo %, TVA 20 %', async () => {
    const tourId = await h.createTour({ priceCents: 10_000 });
    const res = await request(h.app)
      .post('/v1/bookings/quote')
      .set(asA)
      .send({ tourId, travellers: 2, promoCode: 'summer2025', country: 'FR' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      tourId,
      basePriceCents: 20_000,
      discountCents: 2_000,
      subtotalCents: 18_000,
      taxCents: 3_600,
      totalCents: 21_600,
      currency: 'EUR',
      promoCode: 'SUMMER2025',
    });
    expect(res.body.rulesApplied.map((r: { rule: string }) => r.rule)).toEqual(['promo', 'vat']);
  });

  test('the course path /calculate-price is the same operation; country defaults to FR', async () => {
    const tourId = await h.createTour({ priceCents: 5_000 });
    const res = await request(h.app)
      .post('/v1/bookings/calculate-price')
      .set(asA)
      .send({ tourId, travellers: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ country: 'FR', totalCents: 6_000 });
  });

  test("without a body country, the token's country claim sets the VAT; the body's wins over it", async () => {
    const tourId = await h.createTour({ priceCents: 10_000 });
    const asGerman = await h.auth.authHeader(userA, { country: 'DE' });
    const fromToken = await request(h.app)
      .post('/v1/bookings/quote')
      .set(asGerman)
      .send({ tourId, travellers: 1 });
    expect(fromToken.body).toMatchObject({ country: 'DE', taxCents: 1_900 });
    const fromBody = await request(h.app)
      .post('/v1/bookings/quote')
      .set(asGerman)
      .send({ tourId, travellers: 1, country: ' fr ' });
    expect(fromBody.body).toMatchObject({ country: 'FR', taxCents: 2_000 });
  });

  test('uses the season price of the tour date', async () => {
    const startsAt = new Date(Date.now() + 20 * 86_400_000);
    const day = startsAt.toISOString().slice(0, 10);
    const tourId = await h.createTour({
      startsAt: startsAt.toISOString(),
      seasons: [{ name: 'high', from: day, until: day, priceCents: 12_000 }],
    });
    const res = await request(h.app)
      .post('/v1/bookings/quote')
      .set(asA)
      .send({ tourId, travellers: 1, country: 'DE' });
    expect(res.body).toMatchObject({ unitPriceCents: 12_000, taxCents: 2_280, totalCents: 14_280 });
  });

  test.each([
    [{ travellers: 2 }, 'tourId'],
    [{ tourId: 'not-a-uuid', travellers: 2 }, 'tourId'],
    [{ tourId: '00000000-0000-4000-8000-000000000001', travellers: 0 }, 'travellers'],
    [{ tourId: '00000000-0000-4000-8000-000000000001', travellers: 2.5 }, 'travellers'],
    [{ tourId: '00000000-0000-4000-8000-000000000001', travellers: '2' }, 'travellers'],
    [
      { tourId: '00000000-0000-4000-8000-000000000001', travellers: 2, country: 'France' },
      'country',
    ],
    [
      { tourId: '00000000-0000-4000-8000-000000000001', travellers: 2, promoCode: 'a b' },
      'promoCode',
    ],
    [
      { tourId: '00000000-0000-4000-8000-000000000001', travellers: 2, priceCents: 1 },
      'priceCents',
    ],
  ])('400 for %j naming %s', async (body, field) => {
    const res = await request(h.app).post('/v1/bookings/quote').set(asA).send(body);
    expect(res.status).toBe(400);
    expect(fields(res)).toContain(field);
  });

  test.each([
    ['NOPE', 'unknown-promo'],
    ['OLD5', 'expired-promo'],
  ])('422 for promo %s', async (promoCode, slug) => {
    const tourId = await h.createTour();
    const res = await request(h.app)
      .post('/v1/bookings/quote')
      .set(asA)
      .send({ tourId, travellers: 1, promoCode });
    expect(res.status).toBe(422);
    expect(problemOf(res).type).toBe(`https://tourkit.dev/problems/${slug}`);
    expect(fields(res)).toEqual(['promoCode']);
  });

  test('422 naming tourId for a tour catalog does not know', async () => {
    const res = await request(h.app)
      .post('/v1/bookings/quote')
      .set(asA)
      .send({ tourId: '00000000-0000-4000-8000-0000000000ff', travellers: 1 });
    expect(res.status).toBe(422);
    expect(fields(res)).toEqual(['tourId']);
  });

  test('401 without a token', async () => {
    const res = await request(h.app).post('/v1/bookings/quote').send({});
    expect(res.status).toBe(401);
  });
});

describe('POST /v1/bookings', () => {
  test('creates a PENDING_PAYMENT booking with its breakdown and reserves the seats', async () => {
    const tourId = await h.createTour({ priceCents: 10_000, capacity: 10 });
    const res = await request(h.app)
      .post('/v1/bookings')
      .set(asA)
      .set('Idempotency-Key', newKey())
      .send({ tourId, travellers: 3, country: 'DE' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/bookings/${res.body.id}`);
    expect(res.body).toMatchObject({
      userId: userA,
      tourId,
      travellers: 3,
      status: 'PENDING_PAYMENT',
      country: 'DE',
      price: {
        basePriceCents: 30_000,
        subtotalCents: 30_000,
        taxCents: 5_700,
        totalCents: 35_700,
        currency: 'EUR',
      },
    });
    expect(await h.bookedSeats(tourId)).toBe(3);
  });

  test('the same key and body twice → one booking, replayed', async () => {
    const tourId = await h.createTour();
    const key = newKey();
    const before = await h.count('bookings');
    const first = await request(h.app)
      .post('/v1/bookings')
      .set(asA)
      .set('Idempotency-Key', key)
      .send({ tourId, travellers: 2 });
    const second = await request(h.app)
      .post('/v1/bookings')
      .set(asA)
      .set('Idempotency-Key', key)
      .send({ travellers: 2, tourId });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await h.count('bookings')).toBe(before + 1);
    expect(await h.bookedSeats(tourId)).toBe(2);
  });

  test('concurrent requests with the same key → one booking, every answer the same booking', async () => {
    const tourId = await h.createTour();
    const key = newKey();
    const before = await h.count('bookings');
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        request(h.app)
          .post('/v1/bookings')
          .set(asA)
          .set('Idempotency-Key', key)
          .send({ tourId, travellers: 1 }),
      ),
    );
    // A duplicate that arrives while the seats are being reserved answers what is true then: 202
    // RESERVING_SEATS; every answer is the same booking.
    for (const r of responses) expect([201, 202]).toContain(r.status);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    const replayed = await request(h.app)
      .post('/v1/bookings')
      .set(asA)
      .set('Idempotency-Key', key)
      .send({ tourId, travellers: 1 });
    expect(replayed.status).toBe(201);
    expect(replayed.body.status).toBe('PENDING_PAYMENT');
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(5);
    expect(await h.count('bookings')).toBe(before + 1);
    expect(await h.bookedSeats(tourId)).toBe(1);
  });

  test('the same key belongs to its user: another user with that key gets a booking of their own', async () => {
    const tourId = await h.createTour();
    const key = newKey();
    const a = await request(h.app)
      .post('/v1/bookings')
      .set(asA)
      .set('Idempotency-Key', key)
      .send({ tourId, travellers: 1 });
    const b = await request(h.app)
      .post('/v1/bookings')
      .set(asB)
      .set('Idempotency-Key', key)
      .send({ tourId, travellers: 1 });
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
  });

  test('the same key with another body → 422, nothing written', async () => {
    const tourId = await h.createTour();
    const key = newKey();
    await request(h.app)
      .post('/v1/bookings')
      .set(asA)
      .set('Idempotency-Key', key)
      .send({ tourId, travellers: 1 });
    const before = await h.count('bookings');
    const res = await request(h.app)
      .post('/v1/bookings')
      .set(asA)
      .set('Idempotency-Key', key)
      .send({ tourId, travellers: 2 });
    expect(res.status).toBe(422);
    expect(problemOf(res).type).toBe('https://tourkit.dev/problems/idempotency-key-reused');
    expect(fields(res)).toEqual(['Idempotency-Key']);
    expect(await h.count('bookings')).toBe(before);
  });

  test.each([
    [undefined, { travellers: 1 }, 'Idempotency-Key'],
    ['k'.repeat(256), { travellers: 1 }, 'Idempotency-Key'],
    ['ok-key', { travellers: 0 }, 'travellers'],
    ['ok-key', { travellers: 1, country: 'F1' }, 'country'],
  ])('400 (key %s, body %j) naming %s; nothing written', async (key, body, field) => {
    const tourId = await h.createTour();
    const before = [await h.count('bookings'), await h.count('idempotency_keys')];
    let req = request(h.app).post('/v1/bookings').set(asA);
    if (key !== undefined) req = req.set('Idempotency-Key', key);
    const res = await req.send({ tourId, ...body });
    expect(res.status).toBe(400);
    expect(fields(res)).toContain(field);
    expect([await h.count('bookings'), await h.count('idempotency_keys')]).toEqual(before);
    expect(await h.bookedSeats(tourId)).toBe(0);
  });

  test('409 naming travellers when catalog has too few seats: the booking ends REJECTED, promo back, and the key replays the 409', async () => {
    const tourId = await h.createTour({ capacity: 2 });
    const key = newKey();
    const send = () =>
      request(h.app)
        .post('/v1/bookings')
        .set(asA)
        .set('Idempotency-Key', key)
        .send({ tourId, travellers: 3, promoCode: 'SUMMER2025' });
    const res = await send();
    expect(res.status).toBe(409);
    expect(problemOf(res).type).toBe('https://tourkit.dev/problems/not-enough-seats');
    expect(fields(res)).toEqual(['travellers']);
    const { rows } = await h.pool.query<{ status: string }>(
      `SELECT b.status FROM bookings b JOIN idempotency_keys k ON k.booking_id = b.id
        WHERE k.user_id = $1 AND k.key = $2`,
      [userA, key],
    );
    expect(rows.map((r) => r.status)).toEqual(['REJECTED']);
    // The single-use promo was given back: the traveller can use it on another booking.
    expect(await h.count(`promo_redemptions WHERE user_id = '${userA}'`)).toBe(0);
    const again = await send();
    expect(again.status).toBe(409);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(res.body);
    expect(await h.bookedSeats(tourId)).toBe(0);
  });

  test('a single-use promo works once per user; a reusable one again', async () => {
    const tourId = await h.createTour();
    const book = (promoCode: string) =>
      request(h.app)
        .post('/v1/bookings')
        .set(asB)
        .set('Idempotency-Key', newKey())
        .send({ tourId, travellers: 1, promoCode });
    const first = await book('SUMMER2025');
    expect(first.status).toBe(201);
    expect(first.body.promoCode).toBe('SUMMER2025');
    const before = await h.count('bookings');
    const again = await book('SUMMER2025');
    expect(again.status).toBe(422);
    expect(problemOf(again).type).toBe('https://tourkit.dev/problems/promo-already-used');
    expect(await h.count('bookings')).toBe(before);
    expect((await book('REUSE15')).status).toBe(201);
    expect((await book('REUSE15')).status).toBe(201);
  });
});

describe('reading and cancelling bookings', () => {
  let tourId: string;
  let otherTourId: string;
  let bookingOfA: string;

  beforeAll(async () => {
    tourId = await h.createTour({ capacity: 50 });
    otherTourId = await h.createTour({ capacity: 50 });
    const res = await request(h.app)
      .post('/v1/bookings')
      .set(asA)
      .set('Idempotency-Key', newKey())
      .send({ tourId, travellers: 2 });
    bookingOfA = res.body.id;
    await request(h.app)
      .post('/v1/bookings')
      .set(asA)
      .set('Idempotency-Key', newKey())
      .send({ tourId: otherTourId, travellers: 1 });
  });

  test('GET /v1/bookings lists only the caller’s bookings, filtered by tour and status', async () => {
    const mine = await request(h.app).get('/v1/bookings').query({ tour: tourId }).set(asA);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((b: { id: string }) => b.id)).toEqual([bookingOfA]);
    const theirs = await request(h.app).get('/v1/bookings').query({ tour: tourId }).set(asB);
    expect(theirs.body).toMatchObject({ items: [], total: 0 });
    const byStatus = await request(h.app)
      .get('/v1/bookings')
      .query({ status: 'CANCELLED', tour: otherTourId })
      .set(asA);
    expect(byStatus.body.total).toBe(0);
  });

  test.each([
    [{ status: 'PAID' }, 'status'],
    [{ tour: 'x' }, 'tour'],
    [{ limit: 0 }, 'limit'],
  ])('GET /v1/bookings 400 for %j', async (query, field) => {
    const res = await request(h.app).get('/v1/bookings').query(query).set(asA);
    expect(res.status).toBe(400);
    expect(fields(res)).toEqual([field]);
  });

  test('GET /v1/bookings/:id: the owner reads it, another user gets 404', async () => {
    expect((await request(h.app).get(`/v1/bookings/${bookingOfA}`).set(asA)).body.id).toBe(
      bookingOfA,
    );
    const other = await request(h.app).get(`/v1/bookings/${bookingOfA}`).set(asB);
    expect(other.status).toBe(404);
    const bad = await request(h.app).get('/v1/bookings/123').set(asA);
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['id']);
  });

  test('another user cannot cancel; the owner can, once, and the seats go back', async () => {
    expect(await h.bookedSeats(tourId)).toBe(2);
    const byB = await request(h.app).post(`/v1/bookings/${bookingOfA}/cancel`).set(asB);
    expect(byB.status).toBe(404);
    const { rows } = await h.pool.query('SELECT status FROM bookings WHERE id = $1', [bookingOfA]);
    expect(rows[0].status).toBe('PENDING_PAYMENT');

    const byA = await request(h.app).post(`/v1/bookings/${bookingOfA}/cancel`).set(asA);
    expect(byA.status).toBe(200);
    expect(byA.body).toMatchObject({ status: 'CANCELLED' });
    expect(byA.body.cancelledAt).toEqual(expect.any(String));
    // The release goes through the outbox: delivered after the commit, not inside it.
    await h.booking.background.outbox.drainOnce();
    expect(await h.bookedSeats(tourId)).toBe(0);

    const again = await request(h.app).post(`/v1/bookings/${bookingOfA}/cancel`).set(asA);
    expect(again.status).toBe(409);
    expect(await h.bookedSeats(tourId)).toBe(0);
  });

  test('cancelling gives a single-use promo back', async () => {
    const user = '00000000-0000-4000-8000-0000000000cc';
    const asC = await h.auth.authHeader(user);
    const book = () =>
      request(h.app)
        .post('/v1/bookings')
        .set(asC)
        .set('Idempotency-Key', newKey())
        .send({ tourId, travellers: 1, promoCode: 'SUMMER2025' });
    const first = await book();
    expect(first.status).toBe(201);
    expect((await book()).status).toBe(422);
    await request(h.app).post(`/v1/bookings/${first.body.id}/cancel`).set(asC).expect(200);
    expect((await book()).status).toBe(201);
  });
});
