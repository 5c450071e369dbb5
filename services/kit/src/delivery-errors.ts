import { UpstreamError } from './upstream-error.js';

/** Thrown by a delivery when retrying cannot help (e.g. the receiver answers 4xx): the message is parked. */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}

/** A 4xx other than 408/429 from another service will not change on retry; a 5xx, timeout or network error may. */
export function isPermanentUpstreamError(error: unknown): error is UpstreamError {
  return (
    error instanceof UpstreamError &&
    error.kind === 'status' &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 408 &&
    error.status !== 429
  );
}

/** Rethrows a permanent upstream refusal as PermanentDeliveryError (with the receiver's detail), anything else as is. */
export function asDeliveryError(error: unknown): unknown {
  if (!isPermanentUpstreamError(error)) return error;
  const detail = error.problem?.detail ?? error.problem?.title ?? '';
  return new PermanentDeliveryError(`${error.message}${detail ? `: ${detail}` : ''}`, {
    cause: error,
  });
}

/** Delay before the n-th retry (n ≥ 1): `baseMs` doubled per attempt, capped at `maxMs`. */
export function retryDelayMs(attempts: number, baseMs: number, maxMs = 300_000): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 30));
  return Math.min(maxMs, baseMs * 2 ** exponent);
}
