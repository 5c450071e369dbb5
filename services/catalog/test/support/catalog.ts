import { afterAll, beforeAll, expect } from '@jest/globals';
import request from 'supertest';
import {
  migratedTestDatabase,
  startTestCatalog,
  tourBody,
  type TestCatalog,
} from '../../src/testing.js';

/**
 * A catalog on its own test database for the calling file's tests, started before them and stopped
 * after; its outbox relay is not started, so the rows stay for the tests to see. `t.catalog` is set
 * by the time a test runs.
 */
export function catalogForFile(dbName: string): { catalog: TestCatalog } {
  const file = {} as { catalog: TestCatalog };
  beforeAll(async () => {
    file.catalog = await startTestCatalog(await migratedTestDatabase(dbName));
  });
  afterAll(async () => {
    await file.catalog?.stop();
  });
  return file;
}

/** Creates a tour through the API, as a service (the internal token). */
export async function createTour(catalog: TestCatalog, overrides: Record<string, unknown> = {}) {
  const response = await request(catalog.url)
    .post('/v1/tours')
    .set(catalog.internal)
    .send(tourBody(overrides));
  expect(response.status).toBe(201);
  return response.body as { id: string; timeZone: string; status: string };
}

/** Undelivered and delivered 'tour-changed' outbox rows of a tour. */
export async function outboxOf(catalog: TestCatalog, tourId: string): Promise<number> {
  const { rows } = await catalog.primary.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox WHERE kind = 'tour-changed' AND payload->>'tourId' = $1`,
    [tourId],
  );
  return rows[0]!.n;
}
