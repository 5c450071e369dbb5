// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection package does it:
//  - leaseDuration: a follower takes the Lease only when its record has not changed for that long,
//    timed by the follower's own clock from when it OBSERVED the change (no trust in other clocks);
//  - renewDeadline: the leader retries its renewal every retryPeriod, and steps down when no renewal
//    has succeeded for renewDeadline;
//  - retryPeriod: the interval between attempts, to acquire or to renew.
// client-go requires leaseDuration > renewDeadline > 1.2 × retryPeriod (its JitterFactor); so do we.
// On top of client-go, a write fence: `mayWrite()` is true only while the last successful renewal
// STARTED less than renewDeadline ago by the monotonic clock. A leader paused (SIGSTOP, a long GC,
// a frozen VM) and resumed past its deadline therefore refuses every write before its timers have
// even run, and a follower cannot take over before leaseDuration > renewDeadline has passed.
import {
  CoordinationV1Api,
  V1MicroTime,
  type KubeConfig,
  type V1Lease,
  type V1LeaseSpec,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';

export interface LeaseTimings {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** controller-runtime's defaults (15 s, 10 s, 2 s). */
export const DEFAULT_LEASE_TIMINGS: LeaseTimings = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

const JITTER_FACTOR = 1.2;

/** The same checks as client-go's NewLeaderElector, with messages naming the setting. */
export function validateLeaseTimings(
  t: LeaseTimings,
  names = {
    leaseDurationMs: 'leaseDuration',
    renewDeadlineMs: 'renewDeadline',
    retryPeriodMs: 'retryPeriod',
  },
): string[] {
  const errors: string[] = [];
  for (const key of ['leaseDurationMs', 'renewDeadlineMs', 'retryPeriodMs'] as const) {
    if (!Number.isFinite(t[key]) || t[key] <= 0) errors.push(`${names[key]} must be positive`);
  }
  if (errors.length > 0) return errors;
  if (t.leaseDurationMs <= t.renewDeadlineMs)
    errors.push(`${names.leaseDurationMs} must be greater than ${names.renewDeadlineMs}`);
  if (t.renewDeadlineMs <= JITTER_FACTOR * t.retryPeriodMs)
    errors.push(
      `${names.renewDeadlineMs} must be greater than ${JITTER_FACTOR} × ${names.retryPeriodMs}`,
    );
  return errors;
}

/** What a candidate has seen of the Lease: the record, and when (its monotonic clock) it changed. */
export interface Observation {
  record: string;
  observedAtMs: number;
}

export type ElectionAction =
  | { kind: 'create'; spec: V1LeaseSpec }
  | { kind: 'update'; spec: V1LeaseSpec }
  | { kind: 'follow'; holder: string };

const recordOf = (spec: V1LeaseSpec | undefined) =>
  JSON.stringify([
    spec?.holderIdentity ?? '',
    String(
      spec?.renewTime instanceof Date ? spec.renewTime.toISOString() : (spec?.renewTime ?? ''),
    ),
    spec?.leaseTransitions ?? 0,
  ]);

/**
 * One attempt to acquire or renew, decided purely (client-go's tryAcquireOrRenew): from the Lease
 * as read (null: none), what this candidate observed before, its monotonic now, and the wall time
 * to stamp into the record.
 */
export function electionStep(input: {
  lease: V1Lease | null;
  identity: string;
  observation: Observation | undefined;
  nowMs: number;
  wallNow: Date;
  leaseDurationMs: number;
}): { action: ElectionAction; observation: Observation } {
  const { lease, identity, nowMs, wallNow, leaseDurationMs } = input;
  const stamp = new V1MicroTime(wallNow.getTime());
  const leaseDurationSeconds = Math.ceil(leaseDurationMs / 1000);
  if (!lease) {
    const spec: V1LeaseSpec = {
      holderIdentity: identity,
      leaseDurationSeconds,
      acquireTime: stamp,
      renewTime: stamp,
      leaseTransitions: 0,
    };
    return {
      action: { kind: 'create', spec },
      observation: { record: recordOf(spec), observedAtMs: nowMs },
    };
  }
  const current = lease.spec ?? {};
  const record = recordOf(current);
  const observation =
    input.observation?.record === record ? input.observation : { record, observedAtMs: nowMs };
  const holder = current.holderIdentity ?? '';
  const heldByMe = holder === identity;
  // The duration written by the holder counts, as in client-go; ours when the record has none.
  const duration = (current.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
  const expired = holder === '' || nowMs >= observation.observedAtMs + duration;
  if (!heldByMe && !expired) return { action: { kind: 'follow', holder }, observation };
  const spec: V1LeaseSpec = {
    ...current,
    holderIdentity: identity,
    leaseDurationSeconds,
    renewTime: stamp,
    ...(heldByMe
      ? {}
      : {
          acquireTime: stamp,
          leaseTransitions: (current.leaseTransitions ?? 0) + 1,
        }),
  };
  return { action: { kind: 'update', spec }, observation };
}

export interface LeaderElectionOptions extends LeaseTimings {
  namespace: string;
  name: string;
  identity: string;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  log: Logger;
  /** Monotonic milliseconds; injectable for tests. */
  monotonicNow?: () => number;
}

const statusOf = (error: unknown) => (error as { code?: number }).code;

export class LeaderElector {
  private readonly api: CoordinationV1Api;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private observation: Observation | undefined;
  /** Monotonic time at which the last successful renewal was SENT; the fence counts from there. */
  private renewedAt = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(
    kc: KubeConfig,
    private readonly options: LeaderElectionOptions,
  ) {
    const errors = validateLeaseTimings(options);
    if (errors.length > 0) throw new Error(`leader election: ${errors.join('; ')}`);
    this.api = kc.makeApiClient(CoordinationV1Api);
    this.now = options.monotonicNow ?? (() => performance.now());
  }

  get isLeader(): boolean {
    return this.leading && this.mayWrite();
  }

  /** The fence: true only while this instance's last renewal is younger than renewDeadline. */
  mayWrite(): boolean {
    return this.leading && this.fresh();
  }

  /** The last successful renewal started less than renewDeadline ago. */
  private fresh(): boolean {
    return this.now() - this.renewedAt < this.options.renewDeadlineMs;
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** Stop and, if leading, release the lease so that another instance takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.leading) return;
    const fenceOpen = this.mayWrite();
    this.setLeading(false);
    if (!fenceOpen) return; // past the deadline the Lease may be someone else's: leave it alone
    try {
      const lease = await this.read();
      if (lease?.spec?.holderIdentity === this.options.identity) {
        // client-go's ReleaseOnCancel: an empty holder, a 1 s duration.
        lease.spec = {
          ...lease.spec,
          holderIdentity: undefined,
          leaseDurationSeconds: 1,
          renewTime: new V1MicroTime(),
        };
        await this.api.replaceNamespacedLease({
          name: this.options.name,
          namespace: this.options.namespace,
          body: lease,
        });
      }
    } catch (error) {
      this.options.log.warn({ err: error }, 'could not release the leader lease');
    }
  }

  private async read(): Promise<V1Lease | null> {
    try {
      return await this.api.readNamespacedLease({
        name: this.options.name,
        namespace: this.options.namespace,
      });
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  private async tick(): Promise<void> {
    // First thing after any pause: a leader past its deadline stops before anything else runs.
    this.checkDeadline();
    try {
      await this.tryAcquireOrRenew();
    } catch (error) {
      this.options.log.warn({ err: error }, 'leader election: API error');
    }
    this.checkDeadline();
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.tick(), this.options.retryPeriodMs);
      this.timer.unref();
    }
  }

  private checkDeadline(): void {
    if (this.leading && !this.mayWrite()) {
      this.options.log.error(
        { identity: this.options.identity, renewDeadlineMs: this.options.renewDeadlineMs },
        'leader election: no renewal within the renew deadline; stepping down',
      );
      this.setLeading(false);
    }
  }

  private async tryAcquireOrRenew(): Promise<void> {
    const { namespace, name, identity } = this.options;
    const sentAt = this.now();
    const lease = await this.read();
    const step = electionStep({
      lease,
      identity,
      observation: this.observation,
      nowMs: this.now(),
      wallNow: new Date(),
      leaseDurationMs: this.options.leaseDurationMs,
    });
    this.observation = step.observation;
    const { action } = step;
    if (action.kind === 'follow') {
      if (this.leading) {
        this.options.log.warn(
          { holder: action.holder },
          'leader election: the Lease has another holder',
        );
        this.setLeading(false);
      }
      return;
    }
    try {
      const written =
        action.kind === 'create'
          ? await this.api.createNamespacedLease({
              namespace,
              body: { metadata: { name, namespace }, spec: action.spec },
            })
          : await this.api.replaceNamespacedLease({
              name,
              namespace,
              body: { ...lease!, spec: action.spec }, // resourceVersion: optimistic concurrency
            });
      this.observation = { record: recordOf(written.spec), observedAtMs: this.now() };
      this.renewedAt = sentAt;
      if (!this.leading && this.fresh()) this.setLeading(true);
    } catch (error) {
      // 409: another candidate wrote first; it will be observed on the next attempt.
      if (statusOf(error) !== 409) throw error;
    }
  }

  private setLeading(leading: boolean): void {
    if (this.leading === leading) return;
    this.leading = leading;
    this.options.log.info(
      { identity: this.options.identity, leading },
      leading ? 'became leader' : 'not leader',
    );
    if (leading) this.options.onStartedLeading();
    else this.options.onStoppedLeading();
  }
}
