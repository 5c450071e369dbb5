/**
 * Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` with
 * the description and the last value seen (so a failing test says what it was waiting for).
 */
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T | undefined>,
  opts: { timeoutMs?: number; intervalMs?: number; lastSeen?: () => string } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const intervalMs = opts.intervalMs ?? 1_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const seen = opts.lastSeen ? `; last seen: ${opts.lastSeen()}` : '';
      const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(
        `timed out after ${timeoutMs / 1000}s waiting for ${description}${seen}${cause}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
