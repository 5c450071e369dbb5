import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { catalogForFile, createTour, expectValidationProblem } from '../support/catalog.js';

const t = catalogForFile('catalog_add_rating');

describe('internal endpoints: ratings', () => {
  it('adds ratings atomically and accepts the review service summary', async () => {
    const tour = await createTour(t.catalog);
    const rate = (rating: unknown) =>
      request(t.catalog.url)
        .post(`/internal/tours/${tour.id}/ratings`)
        .set(t.catalog.internal)
        .send({ rating });
    await Promise.all([rate(5), rate(4), rate(4)]);
    const details = await request(t.catalog.url).get(`/v1/tours/${tour.id}`).expect(200);
    expect(details.body).toMatchObject({ ratingAverage: 4.33, ratingCount: 3 });
    expectValidationProblem(await rate(6), 'rating');
    const summary = await request(t.catalog.url)
      .put(`/internal/tours/${tour.id}/rating`)
      .set(t.catalog.internal)
      .send({ average: 3.5, count: 10 })
      .expect(200);
    expect(summary.body).toEqual({ tourId: tour.id, ratingAverage: 3.5, ratingCount: 10 });
  });
});
