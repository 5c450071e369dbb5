import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { catalogForFile, createTour, expectValidationProblem } from '../support/catalog.js';

const t = catalogForFile('catalog_change_seats');

describe('internal endpoints: seats', () => {
  it('reserves and releases seats within capacity, 409 beyond', async () => {
    const tour = await createTour(t.catalog, { capacity: 3 });
    const seats = (delta: unknown) =>
      request(t.catalog.url)
        .post(`/internal/tours/${tour.id}/seats`)
        .set(t.catalog.internal)
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
    await request(t.catalog.url)
      .post(`/internal/tours/${tour.id}/seats`)
      .send({ delta: 1 })
      .expect(401);
    await request(t.catalog.url)
      .post('/internal/tours/6b0e3f5e-1c1a-4c38-9a57-0c1f7f0c9d11/seats')
      .set(t.catalog.internal)
      .send({ delta: 1 })
      .expect(404);
  });

  it('applies a seat change with a reference once, however often or concurrently it is retried', async () => {
    const tour = await createTour(t.catalog, { capacity: 5 });
    const seats = (delta: number, reference: string) =>
      request(t.catalog.url)
        .post(`/internal/tours/${tour.id}/seats`)
        .set(t.catalog.internal)
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
    const row = await t.catalog.primary.query('SELECT booked_seats FROM tours WHERE id = $1', [
      tour.id,
    ]);
    expect(row.rows[0].booked_seats).toBe(4);
  });

  it('never oversells under concurrent reservations', async () => {
    const tour = await createTour(t.catalog, { capacity: 10 });
    const attempts = await Promise.all(
      Array.from({ length: 40 }, () =>
        request(t.catalog.url)
          .post(`/internal/tours/${tour.id}/seats`)
          .set(t.catalog.internal)
          .send({ delta: 1 }),
      ),
    );
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(30);
    const row = await t.catalog.primary.query('SELECT booked_seats FROM tours WHERE id = $1', [
      tour.id,
    ]);
    expect(row.rows[0].booked_seats).toBe(10);
  });
});
