import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { catalogForFile, createTour } from '../support/catalog.js';

const t = catalogForFile('catalog_movements');

function seats(tourId: string, delta: number, reference?: string) {
  return request(t.catalog.url)
    .post(`/internal/tours/${tourId}/seats`)
    .set(t.catalog.internal)
    .send(reference === undefined ? { delta } : { delta, reference });
}

function movements(query: string) {
  return request(t.catalog.url).get(`/internal/seat-movements${query}`).set(t.catalog.internal);
}

describe('GET /internal/seat-movements', () => {
  it('pages through every referenced movement in order, once, with the cursor it returns', async () => {
    const tourA = (await createTour(t.catalog)).id;
    const tourB = (await createTour(t.catalog)).id;
    await seats(tourA, 2, 'booking:a1:reserve').expect(200);
    await seats(tourB, 3, 'booking:b1:reserve').expect(200);
    await seats(tourA, 2, 'booking:a1:reserve').expect(200); // a replay records nothing new
    await seats(tourA, 1).expect(200); // no reference, no movement
    await seats(tourA, -2, 'booking:a1:release').expect(200);

    const first = await movements('?limit=2').expect(200);
    expect(first.body.items).toEqual([
      expect.objectContaining({ tourId: tourA, delta: 2, reference: 'booking:a1:reserve' }),
      expect.objectContaining({ tourId: tourB, delta: 3, reference: 'booking:b1:reserve' }),
    ]);
    expect(typeof first.body.items[0].id).toBe('string');
    expect(Date.parse(first.body.items[0].createdAt)).not.toBeNaN();
    expect(typeof first.body.next).toBe('string');

    const second = await movements(`?limit=2&after=${first.body.next}`).expect(200);
    expect(second.body.items).toEqual([
      expect.objectContaining({ tourId: tourA, delta: -2, reference: 'booking:a1:release' }),
    ]);
    const end = await movements(`?limit=2&after=${second.body.next}`).expect(200);
    expect(end.body).toEqual({ items: [], next: null });

    // A movement made later appears after the last cursor handed out.
    await seats(tourB, -1, 'booking:b1:release').expect(200);
    const later = await movements(`?after=${second.body.next}`).expect(200);
    expect(later.body.items.map((m: { reference: string }) => m.reference)).toEqual([
      'booking:b1:release',
    ]);
  });

  it('holds back movements of a transaction still running, so none lands behind a served cursor', async () => {
    const tour = (await createTour(t.catalog)).id;
    const start = await movements('?limit=1000').expect(200);
    const cursor = start.body.next as string;
    // A transaction takes its id first and commits last: the row must not be skipped.
    const slow = await t.catalog.primary.connect();
    try {
      await slow.query('BEGIN');
      await slow.query(
        "INSERT INTO seat_movements (reference, tour_id, delta) VALUES ('booking:slow:reserve', $1, 1)",
        [tour],
      );
      await seats(tour, 1, 'booking:fast:reserve').expect(200);
      const during = await movements(`?after=${cursor}`).expect(200);
      expect(during.body).toEqual({ items: [], next: null });
      await slow.query('COMMIT');
    } finally {
      slow.release();
    }
    const after = await movements(`?after=${cursor}`).expect(200);
    expect(after.body.items.map((m: { reference: string }) => m.reference)).toEqual([
      'booking:slow:reserve',
      'booking:fast:reserve',
    ]);
  });

  it('needs the internal token', async () => {
    await request(t.catalog.url).get('/internal/seat-movements').expect(401);
  });

  it.each([
    ['after', '?after=abc'],
    ['after', '?after=1.99999999999999999999'],
    ['after', '?after=1.2&after=3.4'],
    ['limit', '?limit=0'],
    ['limit', '?limit=1001'],
    ['limit', '?limit=-1'],
    ['colour', '?colour=blue'],
  ])('400 naming %s for %s', async (field, query) => {
    const response = await movements(query);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});
