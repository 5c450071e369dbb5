import { createHash } from 'node:crypto';

/** sha256 of a canonical JSON (sorted keys): the same key with another body is refused. */
export function requestHash(body: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.fromEntries(Object.entries(body).sort(([a], [b]) => a.localeCompare(b))),
  );
  return createHash('sha256').update(canonical).digest('hex');
}
