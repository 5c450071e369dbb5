import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { eventually } from '../support/harness.js';
import { harnessForFile, PAST, postReview, catalogTourRated } from '../support/reviews.js';

const t = harnessForFile('review_outbox');

describe('catalog down while a review is created (outbox)', () => {
  test('the review is saved at once; catalog gets the rating once it is back', async () => {
    const tourId = await t.h.createTour();
    const userId = randomUUID();
    await t.h.book(userId, tourId, 'CONFIRMED', PAST);
    await t.h.stopCatalog();
    try {
      const res = await postReview(t.h, tourId, userId, { rating: 5, comment: 'great' });
      expect(res.status).toBe(201);
      const pending = await eventually(async () => {
        const { rows } = await t.h.review.pool.query<{ attempts: number; last_error: string }>(
          `SELECT attempts, last_error FROM outbox WHERE kind = 'catalog-rating' AND payload->>'tourId' = $1`,
          [tourId],
        );
        return rows[0] && rows[0].attempts >= 2 ? rows[0] : undefined;
      });
      expect(pending.last_error).toMatch(/catalog/);
      // Reads keep working while catalog is down.
      const rating = await request(t.h.url).get(`/v1/tours/${tourId}/rating`);
      expect(rating.body).toEqual({ tourId, average: 5, count: 1 });
      const health = await request(t.h.url).get('/health');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('DEGRADED');
      expect(health.body.checks.catalog.status).toBe('DOWN');
    } finally {
      await t.h.restartCatalog();
    }
    const tour = await catalogTourRated(t.h, tourId, 1);
    expect(tour.ratingAverage).toBe(5);
    await eventually(async () => {
      const { rows } = await t.h.review.pool.query(
        `SELECT 1 FROM outbox WHERE payload->>'tourId' = $1 AND delivered_at IS NULL`,
        [tourId],
      );
      return rows.length === 0 ? true : undefined;
    });
  });
});
