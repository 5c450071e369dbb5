import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import {
  migratedTestDatabase,
  startTestCatalog,
  tourBody,
  type TestCatalog,
} from '../../src/testing.js';

let catalog: TestCatalog;
let operator: { authorization: string };

async function tourCount(): Promise<number> {
  const result = await catalog.primary.query<{ n: number }>('SELECT count(*)::int AS n FROM tours');
  return result.rows[0]!.n;
}

async function createTour(overrides: Parameters<typeof tourBody>[0] = {}, inDays?: number) {
  const response = await request(catalog.url)
    .post('/v1/tours')
    .set(catalog.internal)
    .send(tourBody(overrides, inDays));
  expect(response.status).toBe(201);
  return response.body as { id: string; [key: string]: unknown };
}

function expectValidationProblem(response: request.Response, field: string) {
  expect(response.status).toBe(400);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body.type).toBe('https://tourkit.dev/problems/validation-failed');
  expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

beforeAll(async () => {
  catalog = await startTestCatalog(await migratedTestDatabase('catalog_api'));
  operator = await catalog.auth.authHeader('op-1', {
    email: 'op@example.test',
    roles: ['operator'],
  });
});

afterAll(async () => {
  await catalog.stop();
});

describe('search', () => {
  let soldOut: { id: string };
  let lyon: { id: string };
  beforeAll(async () => {
    const year = new Date().getUTCFullYear() + 1;
    await createTour({ title: 'Paris cheap', priceCents: 2000 }, 10);
    await createTour({
      title: 'Paris summer',
      priceCents: 5000,
      startsAt: `${year}-07-10T09:00:00Z`,
      seasons: [{ name: 'high', from: `${year}-06-15`, until: `${year}-08-31`, priceCents: 9000 }],
    });
    soldOut = await createTour({ title: 'Paris sold out', capacity: 2 }, 20);
    await request(catalog.url)
      .post(`/internal/tours/${soldOut.id}/seats`)
      .set(catalog.internal)
      .send({ delta: 2 })
      .expect(200);
    lyon = await createTour({ title: 'Lyon', destination: 'Lyon' }, 15);
  });

  it('finds the available tours of a destination, case-insensitively, soonest first', async () => {
    const response = await request(catalog.url)
      .get('/v1/tours?destination=paris&available=true')
      .expect(200);
    expect(response.body.items.map((t: { title: string }) => t.title)).toEqual([
      'Paris cheap',
      'Paris summer',
    ]);
    expect(response.body).toMatchObject({ page: 1, pageSize: 20, total: 2, totalPages: 1 });
    expect(response.body.items[0]).toMatchObject({
      destination: 'Paris',
      availableSeats: 10,
      currency: 'EUR',
    });
  });

  it('filters on the season price that applies to the departure', async () => {
    const response = await request(catalog.url).get('/v1/tours?minPrice=8000').expect(200);
    expect(response.body.items).toHaveLength(1);
    expect(response.body.items[0]).toMatchObject({
      title: 'Paris summer',
      priceCents: 5000,
      effectivePriceCents: 9000,
      appliedSeason: 'high',
    });
    const cheap = await request(catalog.url).get('/v1/tours?maxPrice=4999').expect(200);
    expect(cheap.body.items.map((t: { title: string }) => t.title)).toEqual(['Paris cheap']);
  });

  it('lists sold-out tours with available=false and filters by date range', async () => {
    const soldOutList = await request(catalog.url).get('/v1/tours?available=false').expect(200);
    expect(soldOutList.body.items.map((t: { id: string }) => t.id)).toEqual([soldOut.id]);
    const day = new Date(Date.now() + 15 * 86_400_000).toISOString().slice(0, 10);
    const onDay = await request(catalog.url).get(`/v1/tours?from=${day}&to=${day}`).expect(200);
    expect(onDay.body.items.map((t: { id: string }) => t.id)).toEqual([lyon.id]);
  });

  it('tags a page by its content: the same page the same ETag (304 when the client has it), a changed one another', async () => {
    const url = '/v1/tours?destination=Paris&pageSize=2';
    const first = await request(catalog.url).get(url).expect(200);
    const tag = first.headers.etag as string;
    expect(tag).toMatch(/^W\/"[0-9a-f]+-/);
    expect((await request(catalog.url).get(url).expect(200)).headers.etag).toBe(tag);
    await request(catalog.url).get(url).set('if-none-match', tag).expect(304);
    const other = await request(catalog.url).get('/v1/tours?destination=Paris&pageSize=1');
    expect(other.headers.etag).not.toBe(tag);
  });

  it('paginates', async () => {
    const first = await request(catalog.url).get('/v1/tours?pageSize=3').expect(200);
    const second = await request(catalog.url).get('/v1/tours?pageSize=3&page=2').expect(200);
    expect(first.body).toMatchObject({ total: 4, totalPages: 2 });
    expect(first.body.items).toHaveLength(3);
    expect(second.body.items).toHaveLength(1);
    const ids = [...first.body.items, ...second.body.items].map((t: { id: string }) => t.id);
    expect(new Set(ids).size).toBe(4);
  });

  it.each([
    ['available=maybe', 'available'],
    ['minPrice=abc', 'minPrice'],
    ['minPrice=500&maxPrice=100', 'maxPrice'],
    ['from=2026-13-01', 'from'],
    ['page=0', 'page'],
    ['pageSize=1000', 'pageSize'],
    ['destination=Paris&destination=Lyon', 'destination'],
    ['colour=blue', 'colour'],
  ])('answers 400 for %s naming %s', async (query, field) => {
    expectValidationProblem(await request(catalog.url).get(`/v1/tours?${query}`), field);
  });
});

describe('details and availability', () => {
  it('shows a tour with its applied price and its availability', async () => {
    const tour = await createTour({ capacity: 5 });
    const details = await request(catalog.url).get(`/v1/tours/${tour.id}`).expect(200);
    expect(details.body).toMatchObject({
      id: tour.id,
      capacity: 5,
      bookedSeats: 0,
      effectivePriceCents: 5000,
      appliedSeason: null,
      ratingAverage: null,
      ratingCount: 0,
    });
    const availability = await request(catalog.url)
      .get(`/v1/tours/${tour.id}/availability`)
      .expect(200);
    expect(availability.body).toEqual({
      tourId: tour.id,
      startsAt: details.body.startsAt,
      capacity: 5,
      bookedSeats: 0,
      availableSeats: 5,
      available: true,
    });
  });

  it('answers 404 for an unknown tour and 400 for a malformed id', async () => {
    const missing = await request(catalog.url)
      .get('/v1/tours/6b0e3f5e-1c1a-4c38-9a57-0c1f7f0c9d11')
      .expect(404);
    expect(missing.body.type).toBe('https://tourkit.dev/problems/not-found');
    expectValidationProblem(await request(catalog.url).get('/v1/tours/42'), 'id');
  });
});

describe('operator writes', () => {
  it('lets an operator create and patch their own tour', async () => {
    const created = await request(catalog.url)
      .post('/v1/tours')
      .set(operator)
      .send(tourBody())
      .expect(201);
    expect(created.headers.location).toBe(`/v1/tours/${created.body.id}`);
    const patched = await request(catalog.url)
      .patch(`/v1/tours/${created.body.id}`)
      .set(operator)
      .send({ capacity: 50, title: 'Renamed' })
      .expect(200);
    expect(patched.body).toMatchObject({ capacity: 50, title: 'Renamed', availableSeats: 50 });
  });

  it('refuses anonymous callers, non-operators, other operators and a wrong internal token', async () => {
    const before = await tourCount();
    await request(catalog.url).post('/v1/tours').send(tourBody()).expect(401);
    const customer = await catalog.auth.authHeader('u-1', { roles: ['customer'] });
    await request(catalog.url).post('/v1/tours').set(customer).send(tourBody()).expect(403);
    await request(catalog.url)
      .post('/v1/tours')
      .set(operator)
      .send(tourBody({ operatorEmail: 'other@example.test' }))
      .expect(403);
    await request(catalog.url)
      .post('/v1/tours')
      .set({ 'x-internal-token': 'wrong-token-wrong-token' })
      .send(tourBody())
      .expect(401);
    const someoneElses = await createTour({ operatorEmail: 'other@example.test' });
    await request(catalog.url)
      .patch(`/v1/tours/${someoneElses.id}`)
      .set(operator)
      .send({ title: 'Mine now' })
      .expect(403);
    expect(await tourCount()).toBe(before + 1);
  });

  it.each([
    [{ priceCents: 12.5 }, 'priceCents'],
    [{ capacity: 'ten' }, 'capacity'],
    [{ country: 'FRA' }, 'country'],
    [{ startsAt: 'next tuesday' }, 'startsAt'],
    [{ title: '' }, 'title'],
    [{ bookedSeats: 4 }, 'bookedSeats'],
    [
      { seasons: [{ name: 'high', from: '2026-08-01', until: '2026-07-01', priceCents: 1 }] },
      'seasons.0.until',
    ],
  ])('answers 400 to a create with %j naming %s, and writes nothing', async (change, field) => {
    const before = await tourCount();
    expectValidationProblem(
      await request(catalog.url).post('/v1/tours').set(operator).send(tourBody(change)),
      field,
    );
    expect(await tourCount()).toBe(before);
  });

  it('answers 400 to a bad patch and 409 to a capacity below the booked seats, changing nothing', async () => {
    const tour = await createTour({ capacity: 5 });
    await request(catalog.url)
      .post(`/internal/tours/${tour.id}/seats`)
      .set(catalog.internal)
      .send({ delta: 4 })
      .expect(200);
    expectValidationProblem(
      await request(catalog.url).patch(`/v1/tours/${tour.id}`).set(operator).send({ capacity: -1 }),
      'capacity',
    );
    expectValidationProblem(
      await request(catalog.url).patch(`/v1/tours/${tour.id}`).set(operator).send({}),
      'body',
    );
    const conflict = await request(catalog.url)
      .patch(`/v1/tours/${tour.id}`)
      .set(operator)
      .send({ capacity: 3 })
      .expect(409);
    expect(conflict.body.detail).toMatch(/below the 4 seats/);
    const after = await request(catalog.url).get(`/v1/tours/${tour.id}`).expect(200);
    expect(after.body).toMatchObject({ capacity: 5, bookedSeats: 4 });
  });
});

describe('internal endpoints', () => {
  it('reserves and releases seats within capacity, 409 beyond', async () => {
    const tour = await createTour({ capacity: 3 });
    const seats = (delta: unknown) =>
      request(catalog.url)
        .post(`/internal/tours/${tour.id}/seats`)
        .set(catalog.internal)
        .send({ delta });
    expect((await seats(2)).body).toEqual({
      tourId: tour.id,
      capacity: 3,
      bookedSeats: 2,
      availableSeats: 1,
    });
    const over = await seats(2);
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({
      type: 'https://tourkit.dev/problems/not-enough-seats',
      availableSeats: 1,
    });
    const underflow = await seats(-3);
    expect(underflow.status).toBe(409);
    expect(underflow.body.type).toBe('https://tourkit.dev/problems/release-exceeds-booked');
    expect((await seats(-2)).body.bookedSeats).toBe(0);
    expectValidationProblem(await seats(0), 'delta');
    await request(catalog.url)
      .post(`/internal/tours/${tour.id}/seats`)
      .send({ delta: 1 })
      .expect(401);
    await request(catalog.url)
      .post('/internal/tours/6b0e3f5e-1c1a-4c38-9a57-0c1f7f0c9d11/seats')
      .set(catalog.internal)
      .send({ delta: 1 })
      .expect(404);
  });

  it('applies a seat change with a reference once, however often or concurrently it is retried', async () => {
    const tour = await createTour({ capacity: 5 });
    const seats = (delta: number, reference: string) =>
      request(catalog.url)
        .post(`/internal/tours/${tour.id}/seats`)
        .set(catalog.internal)
        .send({ delta, reference });
    const reserve = `booking:${tour.id}:reserve`;
    const attempts = await Promise.all([seats(2, reserve), seats(2, reserve), seats(2, reserve)]);
    expect(attempts.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(attempts.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(2);
    expect(attempts.map((r) => r.body.bookedSeats)).toEqual([2, 2, 2]);

    const reused = await seats(3, reserve);
    expect(reused.status).toBe(422);
    expect(reused.body.errors[0].field).toBe('reference');

    // A refused change records nothing: the same reference applies once seats are free.
    const full = `booking:${tour.id}:big`;
    expect((await seats(4, full)).status).toBe(409);
    const release = `booking:${tour.id}:release`;
    expect((await seats(-2, release)).body.bookedSeats).toBe(0);
    expect((await seats(-2, release)).body.bookedSeats).toBe(0);
    expect((await seats(4, full)).body.bookedSeats).toBe(4);
    const row = await catalog.primary.query('SELECT booked_seats FROM tours WHERE id = $1', [
      tour.id,
    ]);
    expect(row.rows[0].booked_seats).toBe(4);
  });

  it('adds ratings atomically and accepts the review service summary', async () => {
    const tour = await createTour();
    const rate = (rating: unknown) =>
      request(catalog.url)
        .post(`/internal/tours/${tour.id}/ratings`)
        .set(catalog.internal)
        .send({ rating });
    await Promise.all([rate(5), rate(4), rate(4)]);
    const details = await request(catalog.url).get(`/v1/tours/${tour.id}`).expect(200);
    expect(details.body).toMatchObject({ ratingAverage: 4.33, ratingCount: 3 });
    expectValidationProblem(await rate(6), 'rating');
    const summary = await request(catalog.url)
      .put(`/internal/tours/${tour.id}/rating`)
      .set(catalog.internal)
      .send({ average: 3.5, count: 10 })
      .expect(200);
    expect(summary.body).toEqual({ tourId: tour.id, ratingAverage: 3.5, ratingCount: 10 });
  });

  it('never oversells under concurrent reservations', async () => {
    const tour = await createTour({ capacity: 10 });
    const attempts = await Promise.all(
      Array.from({ length: 40 }, () =>
        request(catalog.url)
          .post(`/internal/tours/${tour.id}/seats`)
          .set(catalog.internal)
          .send({ delta: 1 }),
      ),
    );
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(30);
    const row = await catalog.primary.query('SELECT booked_seats FROM tours WHERE id = $1', [
      tour.id,
    ]);
    expect(row.rows[0].booked_seats).toBe(10);
  });
});

describe('own OpenAPI document', () => {
  it('is served at /openapi.yaml for the gateway to aggregate', async () => {
    const response = await request(catalog.url).get('/openapi.yaml');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/yaml/);
    expect(response.text).toMatch(/^openapi: 3\.1\.0\ninfo:\n {2}title: Tourkit catalog/m);
  });
});
