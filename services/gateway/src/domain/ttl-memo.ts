/**
 * Remembers each key's loaded value for `ttlMs`, in this process. Concurrent callers share one load;
 * a failed load is forgotten at once, so the next call tries again rather than repeating the failure.
 */
export interface TtlMemo<T> {
  get(key: string, load: () => Promise<T>): Promise<T>;
}

export function createTtlMemo<T>(ttlMs: number, now: () => number = Date.now): TtlMemo<T> {
  const entries = new Map<string, { expiresAt: number; value: Promise<T> }>();
  return {
    get(key, load) {
      const entry = entries.get(key);
      if (entry && entry.expiresAt > now()) return entry.value;
      const value = load();
      const fresh = { expiresAt: now() + ttlMs, value };
      entries.set(key, fresh);
      value.catch(() => {
        if (entries.get(key) === fresh) entries.delete(key);
      });
      return value;
    },
  };
}
