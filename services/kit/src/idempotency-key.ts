import type { Request } from 'express';
import { z } from 'zod';
import { validationFailed } from './errors.js';

/** An `Idempotency-Key` header value: 1 to 255 visible ASCII characters. */
export const idempotencyKeySchema = z
  .string({ message: 'the Idempotency-Key header is required' })
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters');

/** The request's `Idempotency-Key` header, or a 400 `validation-failed` naming `Idempotency-Key`. */
export function requireIdempotencyKey(req: Pick<Request, 'get'>): string {
  const result = idempotencyKeySchema.safeParse(req.get('idempotency-key'));
  if (!result.success) {
    throw validationFailed(
      [{ field: 'Idempotency-Key', message: result.error.issues[0]?.message ?? 'invalid' }],
      'Invalid request headers.',
    );
  }
  return result.data;
}
