import type pg from 'pg';
import { currentTraceCarrier, withTransaction, type Pool } from '@tourkit/kit';
import type { PageCursor } from '../domain/cursor.js';

export interface Review {
  id: string;
  tourId: string;
  userId: string;
  rating: number;
  comment: string;
  createdAt: Date;
}

export interface RatingAggregate {
  tourId: string;
  /** Rounded to 2 decimals; 0 when there is no review. */
  average: number;
  count: number;
}

interface ReviewRow {
  id: string;
  tour_id: string;
  user_id: string;
  rating: number;
  comment: string;
  created_at: Date;
}

const COLUMNS = 'id, tour_id, user_id, rating, comment, created_at';
const UNIQUE_VIOLATION = '23505';

function toReview(row: ReviewRow): Review {
  return {
    id: row.id,
    tourId: row.tour_id,
    userId: row.user_id,
    rating: row.rating,
    comment: row.comment,
    createdAt: row.created_at,
  };
}

export type InsertResult = { kind: 'created'; review: Review } | { kind: 'already-reviewed' };

/**
 * Inserts the review and its side effects (catalog rating sync, operator notification) in one
 * transaction: either all are stored or none, so no side effect is lost and none fires for a review
 * that was not saved.
 */
export async function insertReviewWithOutbox(
  pool: Pool,
  draft: { tourId: string; userId: string; rating: number; comment: string },
): Promise<InsertResult> {
  try {
    return await withTransaction(pool, async (client) => {
      const { rows } = await client.query<ReviewRow>(
        `INSERT INTO reviews (tour_id, user_id, rating, comment) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [draft.tourId, draft.userId, draft.rating, draft.comment],
      );
      const review = toReview(rows[0]!);
      await enqueue(client, 'catalog-rating', { tourId: review.tourId });
      await enqueue(client, 'operator-notification', {
        reviewId: review.id,
        tourId: review.tourId,
        userId: review.userId,
        rating: review.rating,
        comment: review.comment,
      });
      return { kind: 'created', review } as const;
    });
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) return { kind: 'already-reviewed' };
    throw error;
  }
}

async function enqueue(client: pg.PoolClient, kind: string, payload: object): Promise<void> {
  await client.query('INSERT INTO outbox (kind, payload, trace_context) VALUES ($1, $2, $3)', [
    kind,
    payload,
    currentTraceCarrier(),
  ]);
}

/** A page of a tour's reviews, newest first, after `cursor`; one extra row tells whether more follow. */
export async function listReviews(
  pool: Pool,
  tourId: string,
  limit: number,
  cursor?: PageCursor,
): Promise<{ items: Review[]; hasMore: boolean }> {
  const params: unknown[] = [tourId, limit + 1];
  let after = '';
  if (cursor) {
    params.push(cursor.createdAt, cursor.id);
    after = 'AND (created_at, id) < ($3, $4)';
  }
  const { rows } = await pool.query<ReviewRow>(
    `SELECT ${COLUMNS} FROM reviews WHERE tour_id = $1 ${after}
     ORDER BY created_at DESC, id DESC LIMIT $2`,
    params,
  );
  return { items: rows.slice(0, limit).map(toReview), hasMore: rows.length > limit };
}

/** The tour's rating from this service's own reviews (the source of truth catalog mirrors). */
export async function ratingAggregate(pool: Pool, tourId: string): Promise<RatingAggregate> {
  const { rows } = await pool.query<{ average: string | null; count: number }>(
    `SELECT round(avg(rating), 2)::text AS average, count(*)::int AS count FROM reviews WHERE tour_id = $1`,
    [tourId],
  );
  const row = rows[0]!;
  return { tourId, average: row.average === null ? 0 : Number(row.average), count: row.count };
}
