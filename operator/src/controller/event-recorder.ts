// Events are reports, not state: like client-go's EventRecorder they are sent off the reconcile
// path, by a few workers, from a bounded queue (dropped, and counted, when the API server cannot
// keep up), so a burst of transitions never waits on Event writes.
export interface EventRecorderOptions {
  concurrency: number;
  maxQueued: number;
  onDrop?: () => void;
  onError?: (error: unknown) => void;
}

export class EventRecorder<T> {
  private readonly queue: T[] = [];
  private active = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly send: (item: T) => Promise<void>,
    private readonly options: EventRecorderOptions,
  ) {}

  record(item: T): void {
    if (this.stopped) return;
    if (this.queue.length >= this.options.maxQueued) {
      this.options.onDrop?.();
      return;
    }
    this.queue.push(item);
    this.pump();
  }

  /** Resolves once every recorded event has been sent (or has failed). */
  idle(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops what is queued; events in flight finish. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.pump();
  }

  private pump(): void {
    while (this.active < this.options.concurrency && this.queue.length > 0) {
      const item = this.queue.shift()!;
      this.active++;
      void this.send(item)
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          this.active--;
          this.pump();
        });
    }
    if (this.active === 0 && this.queue.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((resolve) => resolve());
    }
  }
}
