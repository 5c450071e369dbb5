import request from 'supertest';
import { dropTestDatabase } from '@tourkit/kit/testing';
import {
  createTestTour,
  migratedTestDatabase,
  startTestCatalog,
  type TestCatalog,
} from '../src/testing.js';

// createTestTour is how booking's, review's and gateway's tests get their tours: through catalog's
// API, so a refusal must surface rather than hand back an id that does not exist.
describe('createTestTour (@tourkit/catalog/testing)', () => {
  let catalog: TestCatalog;

  beforeAll(async () => {
    catalog = await startTestCatalog(await migratedTestDatabase('catalog_testing'));
  });

  afterAll(async () => {
    await catalog?.stop();
    await dropTestDatabase('catalog_testing');
  });

  test('creates the tour through the API with the overrides, starting inDays from now', async () => {
    const id = await createTestTour(
      catalog.url,
      catalog.config.INTERNAL_TOKEN,
      { capacity: 7 },
      12,
    );
    const tour = (await request(catalog.url).get(`/v1/tours/${id}`)).body as {
      capacity: number;
      startsAt: string;
    };
    expect(tour.capacity).toBe(7);
    const days = (new Date(tour.startsAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(11);
    expect(days).toBeLessThanOrEqual(12);
  });

  test("throws with catalog's refusal for a bad tour or a wrong token", async () => {
    await expect(
      createTestTour(catalog.url, catalog.config.INTERNAL_TOKEN, { capacity: -1 }),
    ).rejects.toThrow(/catalog refused the tour: .*capacity/);
    await expect(createTestTour(catalog.url, 'not-the-token-0123456789')).rejects.toThrow(
      /catalog refused the tour/,
    );
  });
});
