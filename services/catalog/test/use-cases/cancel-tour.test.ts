import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { catalogForFile, createTour, outboxOf } from '../support/catalog.js';

const t = catalogForFile('catalog_cancel_tour');

describe('POST /v1/tours/:id/cancel', () => {
  it('cancels once, takes no more seats, gives seats back, refuses edits', async () => {
    const tour = await createTour(t.catalog);
    await request(t.catalog.url)
      .post(`/internal/tours/${tour.id}/seats`)
      .set(t.catalog.internal)
      .send({ delta: 2, reference: 'booking:x:reserve' })
      .expect(200);
    const cancelled = await request(t.catalog.url)
      .post(`/v1/tours/${tour.id}/cancel`)
      .set(t.catalog.internal)
      .expect(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', cancelledAt: expect.any(String) });
    await request(t.catalog.url)
      .post(`/v1/tours/${tour.id}/cancel`)
      .set(t.catalog.internal)
      .expect(200);
    expect(await outboxOf(t.catalog, tour.id)).toBe(1);

    const reserve = await request(t.catalog.url)
      .post(`/internal/tours/${tour.id}/seats`)
      .set(t.catalog.internal)
      .send({ delta: 1 });
    expect(reserve.status).toBe(409);
    expect(reserve.body.type).toBe('https://tourkit.dev/problems/tour-cancelled');
    await request(t.catalog.url)
      .post(`/internal/tours/${tour.id}/seats`)
      .set(t.catalog.internal)
      .send({ delta: -2, reference: 'booking:x:release' })
      .expect(200);
    await request(t.catalog.url)
      .patch(`/v1/tours/${tour.id}`)
      .set(t.catalog.internal)
      .send({ startsAt: '2031-01-01T07:30:00Z' })
      .expect(409);
    const availability = await request(t.catalog.url).get(`/v1/tours/${tour.id}/availability`);
    expect(availability.body).toMatchObject({ available: false, bookedSeats: 0 });
    const search = await request(t.catalog.url).get('/v1/tours?available=true&pageSize=100');
    expect(search.body.items.map((t: { id: string }) => t.id)).not.toContain(tour.id);
  });

  it('an operator cancels only their own tours; anonymous callers not at all', async () => {
    const tour = await createTour(t.catalog, { operatorEmail: 'owner@example.test' });
    const intruder = await t.catalog.auth.authHeader('op-2', {
      email: 'other@example.test',
      roles: ['operator'],
    });
    await request(t.catalog.url).post(`/v1/tours/${tour.id}/cancel`).set(intruder).expect(403);
    await request(t.catalog.url).post(`/v1/tours/${tour.id}/cancel`).expect(401);
    const owner = await t.catalog.auth.authHeader('op-1', {
      email: 'owner@example.test',
      roles: ['operator'],
    });
    await request(t.catalog.url).post(`/v1/tours/${tour.id}/cancel`).set(owner).expect(200);
    await request(t.catalog.url)
      .post('/v1/tours/6b0e3f5e-1c1a-4c38-9a57-0c1f7f0c9d99/cancel')
      .set(t.catalog.internal)
      .expect(404);
  });
});
