import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { catalogForFile, createTour, expectValidationProblem } from '../support/catalog.js';

const t = catalogForFile('catalog_get_tour');

describe('details and availability', () => {
  it('shows a tour with its applied price and its availability', async () => {
    const tour = await createTour(t.catalog, { capacity: 5 });
    const details = await request(t.catalog.url).get(`/v1/tours/${tour.id}`).expect(200);
    expect(details.body).toMatchObject({
      id: tour.id,
      capacity: 5,
      bookedSeats: 0,
      effectivePriceCents: 5000,
      appliedSeason: null,
      ratingAverage: null,
      ratingCount: 0,
    });
    const availability = await request(t.catalog.url)
      .get(`/v1/tours/${tour.id}/availability`)
      .expect(200);
    expect(availability.body).toEqual({
      tourId: tour.id,
      startsAt: details.body.startsAt,
      capacity: 5,
      bookedSeats: 0,
      availableSeats: 5,
      available: true,
    });
  });

  it('answers 404 for an unknown tour and 400 for a malformed id', async () => {
    const missing = await request(t.catalog.url)
      .get('/v1/tours/6b0e3f5e-1c1a-4c38-9a57-0c1f7f0c9d11')
      .expect(404);
    expect(missing.body.type).toBe('https://tourkit.dev/problems/not-found');
    expectValidationProblem(await request(t.catalog.url).get('/v1/tours/42'), 'id');
  });
});
