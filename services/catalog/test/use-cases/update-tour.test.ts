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

describe('changes booking must hear of', () => {
  it('a new start time or zone writes one outbox row with the change; other edits none', async () => {
    const tour = await createTour(t.catalog);
    await request(t.catalog.url)
      .patch(`/v1/tours/${tour.id}`)
      .set(t.catalog.internal)
      .send({ title: 'Renamed', priceCents: 6000 })
      .expect(200);
    expect(await outboxOf(t.catalog, tour.id)).toBe(0);
    await request(t.catalog.url)
      .patch(`/v1/tours/${tour.id}`)
      .set(t.catalog.internal)
      .send({ startsAt: '2031-01-01T07:30:00Z' })
      .expect(200);
    expect(await outboxOf(t.catalog, tour.id)).toBe(1);
    await request(t.catalog.url)
      .patch(`/v1/tours/${tour.id}`)
      .set(t.catalog.internal)
      .send({ timeZone: 'Europe/Berlin' })
      .expect(200);
    expect(await outboxOf(t.catalog, tour.id)).toBe(2);
  });

  it('a refused change writes nothing', async () => {
    const tour = await createTour(t.catalog, { capacity: 2 });
    await request(t.catalog.url)
      .post(`/internal/tours/${tour.id}/seats`)
      .set(t.catalog.internal)
      .send({ delta: 2 })
      .expect(200);
    await request(t.catalog.url)
      .patch(`/v1/tours/${tour.id}`)
      .set(t.catalog.internal)
      .send({ startsAt: '2031-01-01T07:30:00Z', capacity: 1 })
      .expect(409);
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
    await request(t.catalog.url)
      .post(`/internal/tours/${tour.id}/seats`)
      .set(t.catalog.internal)
      .send({ delta: 4 })
      .expect(200);
    expectValidationProblem(
      await request(t.catalog.url)
        .patch(`/v1/tours/${tour.id}`)
        .set(operator)
        .send({ capacity: -1 }),
      'capacity',
    );
    expectValidationProblem(
      await request(t.catalog.url).patch(`/v1/tours/${tour.id}`).set(operator).send({}),
      'body',
    );
    const conflict = await request(t.catalog.url)
      .patch(`/v1/tours/${tour.id}`)
      .set(operator)
      .send({ capacity: 3 })
      .expect(409);
    expect(conflict.body.detail).toMatch(/below the 4 seats/);
    const after = await request(t.catalog.url).get(`/v1/tours/${tour.id}`).expect(200);
    expect(after.body).toMatchObject({ capacity: 5, bookedSeats: 4 });
  });
});
