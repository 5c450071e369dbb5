import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { eventually, startHarness, type Harness } from '../support/harness.js';
import { NOW, PAST, postReview } from '../support/reviews.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('review_outbox', () => NOW);
});

afterAll(async () => {
  await h?.close();
});

describe('catalog down while a review is created (outbox)', () => {
  test('the review is saved at once; catalog gets the rating once it is back', async () => {
    const tourId = await h.createTour();
    const userId = randomUUID();
    await h.book(userId, tourId, 'CONFIRMED', PAST);
    await h.stopCatalog();
    try {
      const res = await postReview(h, tourId, userId, { rating: 5, comment: 'great' });
      expect(res.status).toBe(201);
      const pending = await eventually(async () => {
        const { rows } = await h.review.pool.query<{ attempts: number; last_error: string }>(
          `SELECT attempts, last_error FROM outbox WHERE kind = 'catalog-rating' AND payload->>'tourId' = $1`,
          [tourId],
        );
        return rows[0] && rows[0].attempts >= 2 ? rows[0] : undefined;
      });
      expect(pending.last_error).toMatch(/catalog/);
      // Reads keep working while catalog is down.
      const rating = await request(h.url).get(`/v1/tours/${tourId}/rating`);
      expect(rating.body).toEqual({ tourId, average: 5, count: 1 });
      const health = await request(h.url).get('/health');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('DEGRADED');
      expect(health.body.checks.catalog.status).toBe('DOWN');
    } finally {
      await h.restartCatalog();
    }
    const tour = await eventually(async () => {
      const t = await h.catalogTour(tourId);
      return t.ratingCount === 1 ? t : undefined;
    });
    expect(tour.ratingAverage).toBe(5);
    await eventually(async () => {
      const { rows } = await h.review.pool.query(
        `SELECT 1 FROM outbox WHERE payload->>'tourId' = $1 AND delivered_at IS NULL`,
        [tourId],
      );
      return rows.length === 0 ? true : undefined;
    });
  });
});
