import request from 'supertest';
import { eventually, startHarness, type Harness } from './harness.js';

// Review's tests run at a pinned now, so "the tour has taken place" is a fixed fact.
export const NOW = new Date('2030-06-01T12:00:00.000Z');
export const PAST = new Date('2030-05-01T09:00:00.000Z');
export const FUTURE = new Date('2030-07-01T09:00:00.000Z');

/**
 * Starts a harness at NOW before the calling file's tests and closes it after them; `t.h` is set
 * by the time a test runs.
 */
export function harnessForFile(name: string): { h: Harness } {
  const file = {} as { h: Harness };
  beforeAll(async () => {
    file.h = await startHarness(name, () => NOW);
  });
  afterAll(async () => {
    await file.h?.close();
  });
  return file;
}

export async function reviewCount(h: Harness): Promise<number> {
  const { rows } = await h.review.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM reviews',
  );
  return rows[0]!.n;
}

/** Outbox messages not delivered yet. */
export async function outboxCount(h: Harness): Promise<number> {
  const { rows } = await h.review.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM outbox WHERE delivered_at IS NULL',
  );
  return rows[0]!.n;
}

/** Posts a review of `tourId` as `userId` (anonymously without one). */
export async function postReview(
  h: Harness,
  tourId: string,
  userId: string | undefined,
  body: unknown,
) {
  const req = request(h.url)
    .post(`/v1/tours/${tourId}/reviews`)
    .send(body as object);
  if (userId) req.set(await h.auth.authHeader(userId));
  return req;
}

/** Catalog's copy of the tour once it counts `count` ratings (the outbox delivers them after the commit). */
export function catalogTourRated(h: Harness, tourId: string, count: number) {
  return eventually(async () => {
    const tour = await h.catalogTour(tourId);
    return tour.ratingCount === count ? tour : undefined;
  });
}
