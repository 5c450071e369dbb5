import request from 'supertest';
import { addTestPromos, fieldsOf, harnessForFile, problemOf, userA } from '../support/harness.js';

const t = harnessForFile('booking_quote', { setup: addTestPromos });

describe('POST /v1/bookings/quote', () => {
  test('prices the course example: base × travellers, promo %, TVA 20 %', async () => {
    const tourId = await t.h.createTour({ priceCents: 10_000 });
    const res = await request(t.h.app)
      .post('/v1/bookings/quote')
      .set(t.asA)
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
    const tourId = await t.h.createTour({ priceCents: 5_000 });
    const res = await request(t.h.app)
      .post('/v1/bookings/calculate-price')
      .set(t.asA)
      .send({ tourId, travellers: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ country: 'FR', totalCents: 6_000 });
  });

  test("without a body country, the token's country claim sets the VAT; the body's wins over it", async () => {
    const tourId = await t.h.createTour({ priceCents: 10_000 });
    const asGerman = await t.h.auth.authHeader(userA, { country: 'DE' });
    const fromToken = await request(t.h.app)
      .post('/v1/bookings/quote')
      .set(asGerman)
      .send({ tourId, travellers: 1 });
    expect(fromToken.body).toMatchObject({ country: 'DE', taxCents: 1_900 });
    const fromBody = await request(t.h.app)
      .post('/v1/bookings/quote')
      .set(asGerman)
      .send({ tourId, travellers: 1, country: ' fr ' });
    expect(fromBody.body).toMatchObject({ country: 'FR', taxCents: 2_000 });
  });

  test('uses the season price of the tour date', async () => {
    const startsAt = new Date(Date.now() + 20 * 86_400_000);
    const day = startsAt.toISOString().slice(0, 10);
    const tourId = await t.h.createTour({
      startsAt: startsAt.toISOString(),
      seasons: [{ name: 'high', from: day, until: day, priceCents: 12_000 }],
    });
    const res = await request(t.h.app)
      .post('/v1/bookings/quote')
      .set(t.asA)
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
    const res = await request(t.h.app).post('/v1/bookings/quote').set(t.asA).send(body);
    expect(res.status).toBe(400);
    expect(fieldsOf(res)).toContain(field);
  });

  test.each([
    ['NOPE', 'unknown-promo'],
    ['OLD5', 'expired-promo'],
  ])('422 for promo %s', async (promoCode, slug) => {
    const tourId = await t.h.createTour();
    const res = await request(t.h.app)
      .post('/v1/bookings/quote')
      .set(t.asA)
      .send({ tourId, travellers: 1, promoCode });
    expect(res.status).toBe(422);
    expect(problemOf(res).type).toBe(`https://tourkit.dev/problems/${slug}`);
    expect(fieldsOf(res)).toEqual(['promoCode']);
  });

  test('422 naming tourId for a tour catalog does not know', async () => {
    const res = await request(t.h.app)
      .post('/v1/bookings/quote')
      .set(t.asA)
      .send({ tourId: '00000000-0000-4000-8000-0000000000ff', travellers: 1 });
    expect(res.status).toBe(422);
    expect(fieldsOf(res)).toEqual(['tourId']);
  });

  test('401 without a token', async () => {
    const res = await request(t.h.app).post('/v1/bookings/quote').send({});
    expect(res.status).toBe(401);
  });
});
