import { beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import {
  catalogForFile,
  createTour,
  expectValidationProblem,
  operatorHeader,
  outboxOf,
} from '../support/catalog.js';

const t = catalogForFile('catalog_update_tour');

// Every test here patches a tour, as booking's internal caller unless it names another.
const patchTour = (id: string, body: object, as: Record<string, string> = t.catalog.internal) =>
  request(t.catalog.url).patch(`/v1/tours/${id}`).set(as).send(body);
const holdSeats = (id: string, delta: number) =>
  request(t.catalog.url)
    .post(`/internal/tours/${id}/seats`)
    .set(t.catalog.internal)
    .send({ delta })
    .expect(200);

describe('changes booking must hear of', () => {
  it('a new start time or zone writes one outbox row with the change; other edits none', async () => {
    const tour = await createTour(t.catalog);
    await patchTour(tour.id, { title: 'Renamed', priceCents: 6000 }).expect(200);
    expect(await outboxOf(t.catalog, tour.id)).toBe(0);
    await patchTour(tour.id, { startsAt: '2031-01-01T07:30:00Z' }).expect(200);
    expect(await outboxOf(t.catalog, tour.id)).toBe(1);
    await patchTour(tour.id, { timeZone: 'Europe/Berlin' }).expect(200);
    expect(await outboxOf(t.catalog, tour.id)).toBe(2);
  });

  it('a refused change writes nothing', async () => {
    const tour = await createTour(t.catalog, { capacity: 2 });
    await holdSeats(tour.id, 2);
    await patchTour(tour.id, { startsAt: '2031-01-01T07:30:00Z', capacity: 1 }).expect(409);
    expect(await outboxOf(t.catalog, tour.id)).toBe(0);
  });
});

describe('operator writes: patching', () => {
  let operator: { authorization: string };

  beforeAll(async () => {
    operator = await operatorHeader(t.catalog);
  });

  it('answers 400 to a bad patch and 409 to a capacity below the booked seats, changing nothing', async () => {
    const tour = await createTour(t.catalog, { capacity: 5 });
    await holdSeats(tour.id, 4);
    expectValidationProblem(await patchTour(tour.id, { capacity: -1 }, operator), 'capacity');
    expectValidationProblem(await patchTour(tour.id, {}, operator), 'body');
    const conflict = await patchTour(tour.id, { capacity: 3 }, operator).expect(409);
    expect(conflict.body.detail).toMatch(/below the 4 seats/);
    const after = await request(t.catalog.url).get(`/v1/tours/${tour.id}`).expect(200);
    expect(after.body).toMatchObject({ capacity: 5, bookedSeats: 4 });
  });
});
