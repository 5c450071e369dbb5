import { z } from 'zod';

export const uuid = z.uuid({ message: 'must be a UUID' });
const MAX_AMOUNT_CENTS = 100_000_000_00;

export const chargeSchema = z.strictObject({
  bookingId: uuid,
  userId: uuid,
  amountCents: z
    .number({ message: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_AMOUNT_CENTS, `must be at most ${MAX_AMOUNT_CENTS}`),
  currency: z.literal('EUR', { message: 'must be EUR' }).default('EUR'),
});

export const refundSchema = z.strictObject({
  amountCents: z
    .number({ message: 'must be an integer' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_AMOUNT_CENTS)
    .optional(),
  reason: z.string().max(500).optional(),
});

/** `GET /internal/simulator/operations?idempotencyKeyPrefix=`: the same characters as a key. */
export const simulatorOperationsQuery = z.object({
  idempotencyKeyPrefix: z
    .string({ message: 'is required: the start of the Idempotency-Keys to list' })
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters'),
});
