/** Delay before the next delivery attempt of an outbox entry: base × 2^(attempts−1), capped. */
export function outboxBackoffMs(attempts: number, baseMs: number, maxMs: number): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 30));
  return Math.min(maxMs, baseMs * 2 ** exponent);
}
