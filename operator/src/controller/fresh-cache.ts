// An informer's cache lags behind our own writes until the watch event arrives. Reading through
// this overlay returns the newest of "what the cache says" and "what our last write returned",
// so a reconcile right after a write does not mistake our own change for a foreign one.
import type { KubernetesObject } from '@kubernetes/client-node';

const version = (object: KubernetesObject | undefined): bigint => {
  try {
    return BigInt(object?.metadata?.resourceVersion ?? '0');
  } catch {
    return 0n;
  }
};

export class FreshCache<T extends KubernetesObject> {
  private readonly written = new Map<string, T>();

  remember(key: string, object: T): void {
    this.written.set(key, object);
  }

  /** The watch event of our own last write: it brings nothing new to reconcile. */
  isEcho(key: string, object: T): boolean {
    const mine = this.written.get(key);
    return !!mine && version(mine) === version(object) && version(object) !== 0n;
  }

  forget(key: string): void {
    this.written.delete(key);
  }

  /**
   * The informer decides what exists: an object it does not have is gone, whatever we wrote
   * (a write answered after the delete event must not bring a deleted object back). We only ever
   * write to objects the informer has shown us, so nothing of ours is lost by this.
   */
  read(key: string, cached: T | undefined): T | undefined {
    const mine = this.written.get(key);
    if (!cached) {
      this.written.delete(key);
      return undefined;
    }
    if (!mine) return cached;
    if (version(cached) >= version(mine)) {
      this.written.delete(key);
      return cached;
    }
    return mine;
  }
}
