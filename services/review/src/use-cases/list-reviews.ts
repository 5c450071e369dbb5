import { validationFailed } from '@tourkit/kit';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { listReviews as selectReviews, type Review } from '../store/reviews.js';
import type { ReviewContext } from './context.js';

/** Anyone reads a tour's reviews, a page at a time; the cursor is one this API issued. */
export async function listReviews(
  ctx: ReviewContext,
  tourId: string,
  limit: number,
  cursorText: string | undefined,
): Promise<{ items: Review[]; nextCursor: string | null }> {
  const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText);
  if (cursorText !== undefined && !cursor)
    throw validationFailed([{ field: 'cursor', message: 'is not a cursor this API issued' }]);
  const page = await selectReviews(ctx.pool, tourId, limit, cursor);
  const last = page.items.at(-1);
  return { items: page.items, nextCursor: page.hasMore && last ? encodeCursor(last) : null };
}
