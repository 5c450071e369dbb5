import { beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { catalogForFile, createTour, expectValidationProblem } from '../support/catalog.js';

const t = catalogForFile('catalog_search');

describe('search', () => {
  let soldOut: { id: string };
  let lyon: { id: string };
  beforeAll(async () => {
    const year = new Date().getUTCFullYear() + 1;
    await createTour(t.catalog, { title: 'Paris cheap', priceCents: 2000 }, 10);
    await createTour(t.catalog, {
      title: 'Paris summer',
      priceCents: 5000,
      startsAt: `${year}-07-10T09:00:00Z`,
      seasons: [{ name: 'high', from: `${year}-06-15`, until: `${year}-08-31`, priceCents: 9000 }],
    });
    soldOut = await createTour(t.catalog, { title: 'Paris sold out', capacity: 2 }, 20);
    await request(t.catalog.url)
      .post(`/internal/tours/${soldOut.id}/seats`)
      .set(t.catalog.internal)
      .send({ delta: 2 })
      .expect(200);
    lyon = await createTour(t.catalog, { title: 'Lyon', destination: 'Lyon' }, 15);
  });

  it('finds the available tours of a destination, case-insensitively, soonest first', async () => {
    const response = await request(t.catalog.url)
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
    const response = await request(t.catalog.url).get('/v1/tours?minPrice=8000').expect(200);
    expect(response.body.items).toHaveLength(1);
    expect(response.body.items[0]).toMatchObject({
      title: 'Paris summer',
      priceCents: 5000,
      effectivePriceCents: 9000,
      appliedSeason: 'high',
    });
    const cheap = await request(t.catalog.url).get('/v1/tours?maxPrice=4999').expect(200);
    expect(cheap.body.items.map((t: { title: string }) => t.title)).toEqual(['Paris cheap']);
  });

  it('lists sold-out tours with available=false and filters by date range', async () => {
    const soldOutList = await request(t.catalog.url).get('/v1/tours?available=false').expect(200);
    expect(soldOutList.body.items.map((t: { id: string }) => t.id)).toEqual([soldOut.id]);
    const day = new Date(Date.now() + 15 * 86_400_000).toISOString().slice(0, 10);
    const onDay = await request(t.catalog.url).get(`/v1/tours?from=${day}&to=${day}`).expect(200);
    expect(onDay.body.items.map((t: { id: string }) => t.id)).toEqual([lyon.id]);
  });

  it('tags a page by its content: the same page the same ETag (304 when the client has it), a changed one another', async () => {
    const url = '/v1/tours?destination=Paris&pageSize=2';
    const first = await request(t.catalog.url).get(url).expect(200);
    const tag = first.headers.etag as string;
    expect(tag).toMatch(/^W\/"[0-9a-f]+-/);
    expect((await request(t.catalog.url).get(url).expect(200)).headers.etag).toBe(tag);
    await request(t.catalog.url).get(url).set('if-none-match', tag).expect(304);
    const other = await request(t.catalog.url).get('/v1/tours?destination=Paris&pageSize=1');
    expect(other.headers.etag).not.toBe(tag);
  });

  it('paginates', async () => {
    const first = await request(t.catalog.url).get('/v1/tours?pageSize=3').expect(200);
    const second = await request(t.catalog.url).get('/v1/tours?pageSize=3&page=2').expect(200);
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
    expectValidationProblem(await request(t.catalog.url).get(`/v1/tours?${query}`), field);
  });
});
