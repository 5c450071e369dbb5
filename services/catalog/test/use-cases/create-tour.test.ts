import { beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { tourBody } from '../../src/testing.js';
import {
  catalogForFile,
  createTour,
  expectValidationProblem,
  operatorHeader,
  tourCount,
} from '../support/catalog.js';

const t = catalogForFile('catalog_create_tour');

describe('time zones', () => {
  it('defaults to Europe/Paris and keeps a given zone in its canonical spelling', async () => {
    expect(await createTour(t.catalog)).toMatchObject({
      timeZone: 'Europe/Paris',
      status: 'SCHEDULED',
    });
    expect((await createTour(t.catalog, { timeZone: 'europe/lisbon' })).timeZone).toBe(
      'Europe/Lisbon',
    );
  });

  it.each(['Europe/Atlantis', '+02:00', 42])('400 naming timeZone for %j', async (timeZone) => {
    const response = await request(t.catalog.url)
      .post('/v1/tours')
      .set(t.catalog.internal)
      .send(tourBody({ timeZone }));
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['timeZone']);
  });
});

describe('operator writes: creating', () => {
  let operator: { authorization: string };

  beforeAll(async () => {
    operator = await operatorHeader(t.catalog);
  });

  it('lets an operator create and patch their own tour', async () => {
    const created = await request(t.catalog.url)
      .post('/v1/tours')
      .set(operator)
      .send(tourBody())
      .expect(201);
    expect(created.headers.location).toBe(`/v1/tours/${created.body.id}`);
    const patched = await request(t.catalog.url)
      .patch(`/v1/tours/${created.body.id}`)
      .set(operator)
      .send({ capacity: 50, title: 'Renamed' })
      .expect(200);
    expect(patched.body).toMatchObject({ capacity: 50, title: 'Renamed', availableSeats: 50 });
  });

  it('refuses anonymous callers, non-operators, other operators and a wrong internal token', async () => {
    const before = await tourCount(t.catalog);
    await request(t.catalog.url).post('/v1/tours').send(tourBody()).expect(401);
    const customer = await t.catalog.auth.authHeader('u-1', { roles: ['customer'] });
    await request(t.catalog.url).post('/v1/tours').set(customer).send(tourBody()).expect(403);
    await request(t.catalog.url)
      .post('/v1/tours')
      .set(operator)
      .send(tourBody({ operatorEmail: 'other@example.test' }))
      .expect(403);
    await request(t.catalog.url)
      .post('/v1/tours')
      .set({ 'x-internal-token': 'wrong-token-wrong-token' })
      .send(tourBody())
      .expect(401);
    const someoneElses = await createTour(t.catalog, { operatorEmail: 'other@example.test' });
    await request(t.catalog.url)
      .patch(`/v1/tours/${someoneElses.id}`)
      .set(operator)
      .send({ title: 'Mine now' })
      .expect(403);
    expect(await tourCount(t.catalog)).toBe(before + 1);
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
    const before = await tourCount(t.catalog);
    expectValidationProblem(
      await request(t.catalog.url).post('/v1/tours').set(operator).send(tourBody(change)),
      field,
    );
    expect(await tourCount(t.catalog)).toBe(before);
  });
});
