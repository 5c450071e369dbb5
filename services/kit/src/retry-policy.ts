import type { HttpMethod, UpstreamError } from './upstream-error.js';

/** Methods a retry cannot repeat the effect of; others retry only when the caller says so. */
const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/** Whether a failed attempt may be tried again (pure; exported for tests). */
export function shouldRetry(
  method: HttpMethod,
  error: UpstreamError,
  idempotentOverride = false,
): boolean {
  if (!idempotentOverride && !IDEMPOTENT_METHODS.has(method)) return false;
  if (error.kind === 'timeout' || error.kind === 'network') return true;
  return error.kind === 'status' && (error.status ?? 0) >= 500;
}

/** Exponential backoff with full jitter (pure apart from Math.random). */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  random: () => number = Math.random,
): number {
  return Math.round(baseMs * 2 ** attempt * (0.5 + random() / 2));
}
