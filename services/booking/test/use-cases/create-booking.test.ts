import request from 'supertest';
import {
  addTestPromos,
  fieldsOf,
  harnessForFile,
  newKey,
  problemOf,
  userA,
  postBooking,
} from '../support/harness.js';

const t = harnessForFile('booking_create', { setup: addTestPromos });

describe('POST /v1/bookings', () => {
  test('creates a PENDING_PAYMENT booking with its breakdown and reserves the seats', async () => {
    const tourId = await t.h.createTour({ priceCents: 10_000, capacity: 10 });
    const res = await postBooking(t.h, t.asA, newKey(), { tourId, travellers: 3, country: 'DE' });
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
    expect(await t.h.bookedSeats(tourId)).toBe(3);
  });

  test('the same key and body twice → one booking, replayed', async () => {
    const tourId = await t.h.createTour();
    const key = newKey();
    const before = await t.h.count('bookings');
    const first = await postBooking(t.h, t.asA, key, { tourId, travellers: 2 });
    const second = await postBooking(t.h, t.asA, key, { travellers: 2, tourId });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await t.h.count('bookings')).toBe(before + 1);
    expect(await t.h.bookedSeats(tourId)).toBe(2);
  });

  test('concurrent requests with the same key → one booking, every answer the same booking', async () => {
    const tourId = await t.h.createTour();
    const key = newKey();
    const before = await t.h.count('bookings');
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => postBooking(t.h, t.asA, key, { tourId, travellers: 1 })),
    );
    // A duplicate that arrives while the seats are being reserved answers what is true then: 202
    // RESERVING_SEATS; every answer is the same booking.
    for (const r of responses) expect([201, 202]).toContain(r.status);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    const replayed = await postBooking(t.h, t.asA, key, { tourId, travellers: 1 });
    expect(replayed.status).toBe(201);
    expect(replayed.body.status).toBe('PENDING_PAYMENT');
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(5);
    expect(await t.h.count('bookings')).toBe(before + 1);
    expect(await t.h.bookedSeats(tourId)).toBe(1);
  });

  test('the same key belongs to its user: another user with that key gets a booking of their own', async () => {
    const tourId = await t.h.createTour();
    const key = newKey();
    const a = await postBooking(t.h, t.asA, key, { tourId, travellers: 1 });
    const b = await postBooking(t.h, t.asB, key, { tourId, travellers: 1 });
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
  });

  test('the same key with another body → 422, nothing written', async () => {
    const tourId = await t.h.createTour();
    const key = newKey();
    await postBooking(t.h, t.asA, key, { tourId, travellers: 1 });
    const before = await t.h.count('bookings');
    const res = await postBooking(t.h, t.asA, key, { tourId, travellers: 2 });
    expect(res.status).toBe(422);
    expect(problemOf(res).type).toBe('https://tourkit.dev/problems/idempotency-key-reused');
    expect(fieldsOf(res)).toEqual(['Idempotency-Key']);
    expect(await t.h.count('bookings')).toBe(before);
  });

  test.each([
    [undefined, { travellers: 1 }, 'Idempotency-Key'],
    ['k'.repeat(256), { travellers: 1 }, 'Idempotency-Key'],
    ['ok-key', { travellers: 0 }, 'travellers'],
    ['ok-key', { travellers: 1, country: 'F1' }, 'country'],
  ])('400 (key %s, body %j) naming %s; nothing written', async (key, body, field) => {
    const tourId = await t.h.createTour();
    const before = [await t.h.count('bookings'), await t.h.count('idempotency_keys')];
    let req = request(t.h.app).post('/v1/bookings').set(t.asA);
    if (key !== undefined) req = req.set('Idempotency-Key', key);
    const res = await req.send({ tourId, ...body });
    expect(res.status).toBe(400);
    expect(fieldsOf(res)).toContain(field);
    expect([await t.h.count('bookings'), await t.h.count('idempotency_keys')]).toEqual(before);
    expect(await t.h.bookedSeats(tourId)).toBe(0);
  });

  test('409 naming travellers when catalog has too few seats: the booking ends REJECTED, promo back, and the key replays the 409', async () => {
    const tourId = await t.h.createTour({ capacity: 2 });
    const key = newKey();
    const send = () =>
      postBooking(t.h, t.asA, key, { tourId, travellers: 3, promoCode: 'SUMMER2025' });
    const res = await send();
    expect(res.status).toBe(409);
    expect(problemOf(res).type).toBe('https://tourkit.dev/problems/not-enough-seats');
    expect(fieldsOf(res)).toEqual(['travellers']);
    const { rows } = await t.h.pool.query<{ status: string }>(
      `SELECT b.status FROM bookings b JOIN idempotency_keys k ON k.booking_id = b.id
        WHERE k.user_id = $1 AND k.key = $2`,
      [userA, key],
    );
    expect(rows.map((r) => r.status)).toEqual(['REJECTED']);
    // The single-use promo was given back: the traveller can use it on another booking.
    expect(await t.h.count(`promo_redemptions WHERE user_id = '${userA}'`)).toBe(0);
    const again = await send();
    expect(again.status).toBe(409);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(res.body);
    expect(await t.h.bookedSeats(tourId)).toBe(0);
  });

  test('a single-use promo works once per user; a reusable one again', async () => {
    const tourId = await t.h.createTour();
    const book = (promoCode: string) =>
      postBooking(t.h, t.asB, newKey(), { tourId, travellers: 1, promoCode });
    const first = await book('SUMMER2025');
    expect(first.status).toBe(201);
    expect(first.body.promoCode).toBe('SUMMER2025');
    const before = await t.h.count('bookings');
    const again = await book('SUMMER2025');
    expect(again.status).toBe(422);
    expect(problemOf(again).type).toBe('https://tourkit.dev/problems/promo-already-used');
    expect(await t.h.count('bookings')).toBe(before);
    expect((await book('REUSE15')).status).toBe(201);
    expect((await book('REUSE15')).status).toBe(201);
  });
});
