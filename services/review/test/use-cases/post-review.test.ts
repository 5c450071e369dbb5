import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { eventually } from '../support/harness.js';
import {
  catalogTourRated,
  FUTURE,
  harnessForFile,
  outboxCount,
  PAST,
  postReview,
  reviewCount,
} from '../support/reviews.js';

const t = harnessForFile('review_post');

describe('POST /v1/tours/:tourId/reviews', () => {
  test('a confirmed booking of a tour that took place: 201, listed, rated, catalog updated, operator notified', async () => {
    const tourId = await t.h.createTour();
    const userId = randomUUID();
    await t.h.book(userId, tourId, 'CONFIRMED', PAST);

    const res = await postReview(t.h, tourId, userId, { rating: 4, comment: ' Lovely guide ' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      tourId,
      userId,
      rating: 4,
      comment: 'Lovely guide',
      createdAt: expect.any(String),
    });
    expect(res.headers.location).toBe(`/v1/tours/${tourId}/reviews/${res.body.id}`);

    const list = await request(t.h.url).get(`/v1/tours/${tourId}/reviews`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([res.body.id]);
    expect(list.body.nextCursor).toBeNull();

    const rating = await request(t.h.url).get(`/v1/tours/${tourId}/rating`);
    expect(rating.body).toEqual({ tourId, average: 4, count: 1 });

    const tour = await catalogTourRated(t.h, tourId, 1);
    expect(tour.ratingAverage).toBe(4);

    const notification = await eventually(async () =>
      t.h.notifications.find((n) => n.body.dedupeKey === `review-posted:${res.body.id}`),
    );
    expect(notification.body).toMatchObject({
      type: 'review-posted',
      tourId,
      data: { reviewId: res.body.id, userId, rating: 4, comment: 'Lovely guide' },
    });
    await eventually(async () => ((await outboxCount(t.h)) === 0 ? true : undefined));

    const metrics = await (await fetch(`${t.h.url}/metrics`)).text();
    expect(metrics).toMatch(/^reviews_total\{rating="4"\} 1$/m);
  });

  test('the catalog average follows every review (aggregate computed by review)', async () => {
    const tourId = await t.h.createTour();
    for (const rating of [5, 4, 2]) {
      const userId = randomUUID();
      await t.h.book(userId, tourId, 'CONFIRMED', PAST);
      expect((await postReview(t.h, tourId, userId, { rating })).status).toBe(201);
    }
    const tour = await catalogTourRated(t.h, tourId, 3);
    expect(tour.ratingAverage).toBe(3.67);
    const rating = await request(t.h.url).get(`/v1/tours/${tourId}/rating`);
    expect(rating.body).toEqual({ tourId, average: 3.67, count: 3 });
  });

  test('not booked → 403 not-eligible, nothing written', async () => {
    const tourId = await t.h.createTour();
    const before = await reviewCount(t.h);
    const res = await postReview(t.h, tourId, randomUUID(), { rating: 5 });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'https://tourkit.dev/problems/not-eligible',
      reason: 'not-booked',
      detail: 'You have not booked this tour.',
    });
    expect(await reviewCount(t.h)).toBe(before);
  });

  test('booked, but the tour has not taken place yet → 403', async () => {
    const tourId = await t.h.createTour();
    const userId = randomUUID();
    await t.h.book(userId, tourId, 'CONFIRMED', FUTURE);
    const res = await postReview(t.h, tourId, userId, { rating: 5 });
    expect(res.status).toBe(403);
    expect(res.body.reason).toBe('not-taken-place');
    expect(res.body.detail).toContain(FUTURE.toISOString());
  });

  test('a booking that is not confirmed (pending payment, payment failed) → 403', async () => {
    const tourId = await t.h.createTour();
    const userId = randomUUID();
    await t.h.book(userId, tourId, 'PENDING_PAYMENT', PAST);
    await t.h.book(userId, tourId, 'PAYMENT_FAILED', PAST);
    const res = await postReview(t.h, tourId, userId, { rating: 3 });
    expect(res.status).toBe(403);
    expect(res.body.reason).toBe('not-confirmed');
    expect(res.body.detail).toContain('PENDING_PAYMENT');
  });

  test('a second review of the same tour → 409 already-reviewed, the first one kept', async () => {
    const tourId = await t.h.createTour();
    const userId = randomUUID();
    await t.h.book(userId, tourId, 'CONFIRMED', PAST);
    expect((await postReview(t.h, tourId, userId, { rating: 5 })).status).toBe(201);
    const outboxBefore = await outboxCount(t.h);
    const second = await postReview(t.h, tourId, userId, { rating: 1, comment: 'changed my mind' });
    expect(second.status).toBe(409);
    expect(second.body.type).toBe('https://tourkit.dev/problems/already-reviewed');
    const list = await request(t.h.url).get(`/v1/tours/${tourId}/reviews`);
    expect(list.body.items.map((r: { rating: number }) => r.rating)).toEqual([5]);
    // No side effect was queued for the refused review.
    expect(await outboxCount(t.h)).toBeLessThanOrEqual(outboxBefore);
  });

  test.each([
    [{ rating: 0 }, 'rating'],
    [{ rating: 6 }, 'rating'],
    [{ rating: 3.5 }, 'rating'],
    [{ rating: '5' }, 'rating'],
    [{}, 'rating'],
    [{ rating: 4, comment: 'x'.repeat(2001) }, 'comment'],
    [{ rating: 4, comment: 42 }, 'comment'],
    [{ rating: 4, stars: 5 }, 'stars'],
  ])('bad input %j → 400 naming %s, nothing written', async (body, field) => {
    const tourId = await t.h.createTour();
    const userId = randomUUID();
    await t.h.book(userId, tourId, 'CONFIRMED', PAST);
    const before = await reviewCount(t.h);
    const res = await postReview(t.h, tourId, userId, body);
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('https://tourkit.dev/problems/validation-failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    expect(await reviewCount(t.h)).toBe(before);
  });

  test('a comment of exactly 2000 characters is accepted', async () => {
    const tourId = await t.h.createTour();
    const userId = randomUUID();
    await t.h.book(userId, tourId, 'CONFIRMED', PAST);
    expect(
      (await postReview(t.h, tourId, userId, { rating: 2, comment: 'y'.repeat(2000) })).status,
    ).toBe(201);
  });

  test('unauthenticated or with an invalid token → 401', async () => {
    const tourId = await t.h.createTour();
    const anonymous = await postReview(t.h, tourId, undefined, { rating: 5 });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.type).toBe('https://tourkit.dev/problems/unauthorized');
    const forged = await request(t.h.url)
      .post(`/v1/tours/${tourId}/reviews`)
      .set('authorization', 'Bearer not.a.token')
      .send({ rating: 5 });
    expect(forged.status).toBe(401);
  });

  test('a tour id that is not a UUID → 400 naming tourId', async () => {
    const res = await postReview(t.h, 'paris', randomUUID(), { rating: 5 });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('tourId');
  });
});
