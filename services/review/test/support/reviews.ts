import request from 'supertest';
import type { Harness } from './harness.js';

// Review's tests run at a pinned now, so "the tour has taken place" is a fixed fact.
export const NOW = new Date('2030-06-01T12:00:00.000Z');
export const PAST = new Date('2030-05-01T09:00:00.000Z');
export const FUTURE = new Date('2030-07-01T09:00:00.000Z');

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
