import { z } from 'zod';

export const MAX_COMMENT_LENGTH = 2000;
export const MAX_PAGE_SIZE = 100;

export const tourIdParams = z.object({ tourId: z.uuid('must be a tour id (UUID)') });

export const createReviewSchema = z.strictObject({
  rating: z
    .number({ message: 'must be an integer from 1 to 5' })
    .int('must be an integer from 1 to 5')
    .min(1, 'must be an integer from 1 to 5')
    .max(5, 'must be an integer from 1 to 5'),
  comment: z
    .string({ message: 'must be a string' })
    .trim()
    .max(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters`)
    .default(''),
});

export type CreateReviewInput = z.output<typeof createReviewSchema>;

export const listQuerySchema = z.object({
  limit: z.coerce
    .number({ message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` })
    .int(`must be an integer from 1 to ${MAX_PAGE_SIZE}`)
    .min(1, `must be an integer from 1 to ${MAX_PAGE_SIZE}`)
    .max(MAX_PAGE_SIZE, `must be an integer from 1 to ${MAX_PAGE_SIZE}`)
    .default(20),
  cursor: z.string().max(200).optional(),
});
