// Leader election on a coordination.k8s.io/v1 Lease, the client-go way: a lease is expired when
// its record has not changed for leaseDuration by OUR clock (no trust in other clocks).
import {
  CoordinationV1Api,
  V1MicroTime,
  type KubeConfig,
  type V1Lease,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds: number;
  retryPeriodMs: number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  log: Logger;
}

const statusOf = (error: unknown) => (error as { code?: number }).code;

export class LeaderElector {
  private readonly api: CoordinationV1Api;
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private observedRecord = '';
  private observedAt = 0;
  private lastRenewal = 0;
  private stopped = false;

  constructor(
    kc: KubeConfig,
    private readonly options: LeaderElectionOptions,
  ) {
    this.api = kc.makeApiClient(CoordinationV1Api);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    void this.tick();
  }

  /** Stop and, if leading, release the lease so that another instance takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.leading) return;
    this.setLeading(false);
    try {
      const lease = await this.read();
      if (lease?.spec?.holderIdentity === this.options.identity) {
        lease.spec.holderIdentity = undefined;
        lease.spec.leaseDurationSeconds = 1;
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
    try {
      await this.tryAcquireOrRenew();
    } catch (error) {
      this.options.log.warn({ err: error }, 'leader election: API error');
    }
    if (this.leading && Date.now() - this.lastRenewal > this.options.leaseDurationSeconds * 1000) {
      this.options.log.error('leader election: could not renew the lease in time; stepping down');
      this.setLeading(false);
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.tick(), this.options.retryPeriodMs);
      this.timer.unref();
    }
  }

  private async tryAcquireOrRenew(): Promise<void> {
    const { namespace, name, identity, leaseDurationSeconds } = this.options;
    const now = new V1MicroTime();
    const lease = await this.read();
    if (!lease) {
      await this.api.createNamespacedLease({
        namespace,
        body: {
          metadata: { name, namespace },
          spec: {
            holderIdentity: identity,
            leaseDurationSeconds,
            acquireTime: now,
            renewTime: now,
            leaseTransitions: 0,
          },
        },
      });
      this.renewed();
      return;
    }
    const spec = lease.spec ?? {};
    const record = `${spec.holderIdentity}|${spec.renewTime?.toISOString?.() ?? spec.renewTime}`;
    if (record !== this.observedRecord) {
      this.observedRecord = record;
      this.observedAt = Date.now();
    }
    const heldByMe = spec.holderIdentity === identity;
    const duration = (spec.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
    const expired = !spec.holderIdentity || Date.now() > this.observedAt + duration;
    if (!heldByMe && !expired) {
      if (this.leading) this.setLeading(false);
      return;
    }
    lease.spec = {
      ...spec,
      holderIdentity: identity,
      leaseDurationSeconds,
      renewTime: now,
      ...(heldByMe ? {} : { acquireTime: now, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 }),
    };
    try {
      await this.api.replaceNamespacedLease({ name, namespace, body: lease });
      this.renewed();
    } catch (error) {
      if (statusOf(error) !== 409) throw error; // 409: another instance won the race
    }
  }

  private renewed(): void {
    this.lastRenewal = Date.now();
    if (!this.leading) this.setLeading(true);
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    this.options.log.info(
      { identity: this.options.identity, leading },
      leading ? 'became leader' : 'not leader',
    );
    if (leading) this.options.onStartedLeading();
    else this.options.onStoppedLeading();
  }
}
