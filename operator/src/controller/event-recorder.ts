// Events are reports, not state: like client-go's EventRecorder they are sent off the reconcile
// path, by a few workers, from a bounded queue (dropped, and counted, when the API server cannot
// keep up), so a burst of transitions never waits on Event writes. While `holdWhile` says state
// writes are under way (a cold start, 1,000 schedules crossing a boundary at once) they wait, up
// to `maxHoldMs`, so the API server serves the bounds first and the reports after.
export interface EventRecorderOptions {
  concurrency: number;
  maxQueued: number;
  onDrop?: () => void;
  onError?: (error: unknown) => void;
  /** True while sending should wait (e.g. reconciles are queued). */
  holdWhile?: () => boolean;
  /** The longest an Event waits for `holdWhile`. */
  maxHoldMs?: number;
}

export class EventRecorder<T> {
  private readonly queue: { item: T; at: number }[] = [];
  private holdTimer: NodeJS.Timeout | undefined;
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
    this.queue.push({ item, at: Date.now() });
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
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.pump();
  }

  private held(): boolean {
    const oldest = this.queue[0];
    if (!oldest || !this.options.holdWhile?.()) return false;
    if (Date.now() - oldest.at >= (this.options.maxHoldMs ?? 5_000)) return false;
    // Look again shortly: nothing else wakes the pump when the reconciles drain.
    this.holdTimer ??= setTimeout(() => {
      this.holdTimer = undefined;
      this.pump();
    }, 50);
    return true;
  }

  private pump(): void {
    while (this.active < this.options.concurrency && this.queue.length > 0 && !this.held()) {
      const { item } = this.queue.shift()!;
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
