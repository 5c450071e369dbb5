import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { catalogForFile, createTour } from '../support/catalog.js';
import { tourBody } from '../../src/testing.js';

const t = catalogForFile('catalog_create_tour');

describe('time zones', () => {
  it('defaults to Europe/Paris and keeps a given zone in its canonical spelling', async () => {
    expect(await createTour(t.catalog)).toMatchObject({
      timeZone: 'Europe/Paris',
      status: 'SCHEDULED',
    });
    expect((await createTour(t.catalog, { timeZone: 'europe/lisbon' })).timeZone).toBe(
      'Europe/Lisbon',
    );
  });

  it.each(['Europe/Atlantis', '+02:00', 42])('400 naming timeZone for %j', async (timeZone) => {
    const response = await request(t.catalog.url)
      .post('/v1/tours')
      .set(t.catalog.internal)
      .send(tourBody({ timeZone }));
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['timeZone']);
  });
});
