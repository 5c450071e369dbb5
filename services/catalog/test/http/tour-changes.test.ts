import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import {
  migratedTestDatabase,
  startTestCatalog,
  tourBody,
  type TestCatalog,
} from '../../src/testing.js';

let catalog: TestCatalog;

async function createTour(overrides: Record<string, unknown> = {}) {
  const response = await request(catalog.url)
    .post('/v1/tours')
    .set(catalog.internal)
    .send(tourBody(overrides));
  expect(response.status).toBe(201);
  return response.body as { id: string; timeZone: string; status: string };
}

async function outboxOf(tourId: string): Promise<number> {
  const { rows } = await catalog.primary.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox WHERE kind = 'tour-changed' AND payload->>'tourId' = $1`,
    [tourId],
  );
  return rows[0]!.n;
}

beforeAll(async () => {
  // The relay is not started: the outbox rows stay for the test to see.
  catalog = await startTestCatalog(await migratedTestDatabase('catalog_tour_changes'));
});

afterAll(async () => {
  await catalog.stop();
});

describe('time zones', () => {
  it('defaults to Europe/Paris and keeps a given zone in its canonical spelling', async () => {
    expect(await createTour()).toMatchObject({ timeZone: 'Europe/Paris', status: 'SCHEDULED' });
    expect((await createTour({ timeZone: 'europe/lisbon' })).timeZone).toBe('Europe/Lisbon');
  });

  it.each(['Europe/Atlantis', '+02:00', 42])('400 naming timeZone for %j', async (timeZone) => {
    const response = await request(catalog.url)
      .post('/v1/tours')
      .set(catalog.internal)
      .send(tourBody({ timeZone }));
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['timeZone']);
  });
});

describe('changes booking must hear of', () => {
  it('a new start time or zone writes one outbox row with the change; other edits none', async () => {
    const tour = await createTour();
    await request(catalog.url)
      .patch(`/v1/tours/${tour.id}`)
      .set(catalog.internal)
      .send({ title: 'Renamed', priceCents: 6000 })
      .expect(200);
    expect(await outboxOf(tour.id)).toBe(0);
    await request(catalog.url)
      .patch(`/v1/tours/${tour.id}`)
      .set(catalog.internal)
      .send({ startsAt: '2031-01-01T07:30:00Z' })
      .expect(200);
    expect(await outboxOf(tour.id)).toBe(1);
    await request(catalog.url)
      .patch(`/v1/tours/${tour.id}`)
      .set(catalog.internal)
      .send({ timeZone: 'Europe/Berlin' })
      .expect(200);
    expect(await outboxOf(tour.id)).toBe(2);
  });

  it('a refused change writes nothing', async () => {
    const tour = await createTour({ capacity: 2 });
    await request(catalog.url)
      .post(`/internal/tours/${tour.id}/seats`)
      .set(catalog.internal)
      .send({ delta: 2 })
      .expect(200);
    await request(catalog.url)
      .patch(`/v1/tours/${tour.id}`)
      .set(catalog.internal)
      .send({ startsAt: '2031-01-01T07:30:00Z', capacity: 1 })
      .expect(409);
    expect(await outboxOf(tour.id)).toBe(0);
  });
});

describe('POST /v1/tours/:id/cancel', () => {
  it('cancels once, takes no more seats, gives seats back, refuses edits', async () => {
    const tour = await createTour();
    await request(catalog.url)
      .post(`/internal/tours/${tour.id}/seats`)
      .set(catalog.internal)
      .send({ delta: 2, reference: 'booking:x:reserve' })
      .expect(200);
    const cancelled = await request(catalog.url)
      .post(`/v1/tours/${tour.id}/cancel`)
      .set(catalog.internal)
      .expect(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', cancelledAt: expect.any(String) });
    await request(catalog.url)
      .post(`/v1/tours/${tour.id}/cancel`)
      .set(catalog.internal)
      .expect(200);
    expect(await outboxOf(tour.id)).toBe(1);

    const reserve = await request(catalog.url)
      .post(`/internal/tours/${tour.id}/seats`)
      .set(catalog.internal)
      .send({ delta: 1 });
    expect(reserve.status).toBe(409);
    expect(reserve.body.type).toBe('https://tourkit.dev/problems/tour-cancelled');
    await request(catalog.url)
      .post(`/internal/tours/${tour.id}/seats`)
      .set(catalog.internal)
      .send({ delta: -2, reference: 'booking:x:release' })
      .expect(200);
    await request(catalog.url)
      .patch(`/v1/tours/${tour.id}`)
      .set(catalog.internal)
      .send({ startsAt: '2031-01-01T07:30:00Z' })
      .expect(409);
    const availability = await request(catalog.url).get(`/v1/tours/${tour.id}/availability`);
    expect(availability.body).toMatchObject({ available: false, bookedSeats: 0 });
    const search = await request(catalog.url).get('/v1/tours?available=true&pageSize=100');
    expect(search.body.items.map((t: { id: string }) => t.id)).not.toContain(tour.id);
  });

  it('an operator cancels only their own tours; anonymous callers not at all', async () => {
    const tour = await createTour({ operatorEmail: 'owner@example.test' });
    const intruder = await catalog.auth.authHeader('op-2', {
      email: 'other@example.test',
      roles: ['operator'],
    });
    await request(catalog.url).post(`/v1/tours/${tour.id}/cancel`).set(intruder).expect(403);
    await request(catalog.url).post(`/v1/tours/${tour.id}/cancel`).expect(401);
    const owner = await catalog.auth.authHeader('op-1', {
      email: 'owner@example.test',
      roles: ['operator'],
    });
    await request(catalog.url).post(`/v1/tours/${tour.id}/cancel`).set(owner).expect(200);
    await request(catalog.url)
      .post('/v1/tours/6b0e3f5e-1c1a-4c38-9a57-0c1f7f0c9d99/cancel')
      .set(catalog.internal)
      .expect(404);
  });
});
