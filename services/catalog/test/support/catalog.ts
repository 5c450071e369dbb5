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
export async function createTour(
  catalog: TestCatalog,
  overrides: Parameters<typeof tourBody>[0] = {},
  inDays?: number,
) {
  const response = await request(catalog.url)
    .post('/v1/tours')
    .set(catalog.internal)
    .send(tourBody(overrides, inDays));
  expect(response.status).toBe(201);
  return response.body as { id: string; timeZone: string; status: string; [key: string]: unknown };
}

/** Undelivered and delivered 'tour-changed' outbox rows of a tour. */
export async function outboxOf(catalog: TestCatalog, tourId: string): Promise<number> {
  const { rows } = await catalog.primary.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox WHERE kind = 'tour-changed' AND payload->>'tourId' = $1`,
    [tourId],
  );
  return rows[0]!.n;
}

export async function tourCount(catalog: TestCatalog): Promise<number> {
  const result = await catalog.primary.query<{ n: number }>('SELECT count(*)::int AS n FROM tours');
  return result.rows[0]!.n;
}

/** An operator's bearer header ('op-1'). */
export function operatorHeader(catalog: TestCatalog) {
  return catalog.auth.authHeader('op-1', { email: 'op@example.test', roles: ['operator'] });
}

/** A 400 validation problem that names `field`. */
export function expectValidationProblem(response: request.Response, field: string) {
  expect(response.status).toBe(400);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body.type).toBe('https://tourkit.dev/problems/validation-failed');
  expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
}
