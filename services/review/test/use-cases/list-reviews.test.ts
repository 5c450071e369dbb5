import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { harnessForFile, PAST, postReview } from '../support/reviews.js';

const t = harnessForFile('review_list');

describe('GET /v1/tours/:tourId/reviews', () => {
  test('public, newest first, paginated with a cursor', async () => {
    const tourId = await t.h.createTour();
    const ids: string[] = [];
    for (let i = 1; i <= 5; i += 1) {
      const userId = randomUUID();
      await t.h.book(userId, tourId, 'CONFIRMED', PAST);
      const res = await postReview(t.h, tourId, userId, { rating: i, comment: `review ${i}` });
      ids.push(res.body.id as string);
      // Distinct creation times (milliseconds), so "newest first" is observable.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const first = await request(t.h.url).get(`/v1/tours/${tourId}/reviews`).query({ limit: 2 });
    expect(first.status).toBe(200);
    expect(first.body.items.map((r: { id: string }) => r.id)).toEqual([ids[4], ids[3]]);
    const second = await request(t.h.url)
      .get(`/v1/tours/${tourId}/reviews`)
      .query({ limit: 2, cursor: first.body.nextCursor });
    expect(second.body.items.map((r: { id: string }) => r.id)).toEqual([ids[2], ids[1]]);
    const third = await request(t.h.url)
      .get(`/v1/tours/${tourId}/reviews`)
      .query({ limit: 2, cursor: second.body.nextCursor });
    expect(third.body.items.map((r: { id: string }) => r.id)).toEqual([ids[0]]);
    expect(third.body.nextCursor).toBeNull();
  });

  test('bad limit or cursor → 400 naming the field', async () => {
    const tourId = randomUUID();
    const limit = await request(t.h.url).get(`/v1/tours/${tourId}/reviews`).query({ limit: 0 });
    expect(limit.status).toBe(400);
    expect(limit.body.errors[0].field).toBe('limit');
    const cursor = await request(t.h.url)
      .get(`/v1/tours/${tourId}/reviews`)
      .query({ cursor: 'abc' });
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors[0].field).toBe('cursor');
  });

  test('a tour without reviews: empty page and a null average', async () => {
    const tourId = randomUUID();
    expect((await request(t.h.url).get(`/v1/tours/${tourId}/reviews`)).body).toEqual({
      items: [],
      nextCursor: null,
    });
    expect((await request(t.h.url).get(`/v1/tours/${tourId}/rating`)).body).toEqual({
      tourId,
      average: null,
      count: 0,
    });
  });
});
