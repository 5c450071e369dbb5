// The ScalingSchedule controller: informers on ScalingSchedules and HPAs feed a keyed queue; each
// reconcile plans from (schedule, HPA, clock) and writes only what differs — one server-side apply
// to the HPA (bounds and the management record), one to the status — and is requeued at the
// schedule's next boundary. Only the Lease holder runs it, and only while its lease is fresh.
import {
  AppsV1Api,
  AutoscalingV2Api,
  CustomObjectsApi,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import { EventRecorder } from './event-recorder.js';
import { FreshCache } from './fresh-cache.js';
import {
  deploymentSubject,
  hpaSubject,
  KubeApi,
  scheduleSubject,
  type EventSubject,
} from './kube-api.js';
import { DEFAULT_LEASE_TIMINGS, LeaderElector, type LeaseTimings } from './leader-election.js';
import { createMetrics, type ControllerMetrics } from './metrics.js';
import { plan, planRelease, type PlannedEvent, type Release } from './plan.js';
import { CountingKubeConfig, WriteRefused } from './request-counter.js';
import {
  ASLEEP_LABEL,
  CALENDAR_GVR,
  calendarName,
  GVR,
  keyOf,
  MANAGED_BY_ANNOTATION,
  targetName,
  viewOfDeployment,
  viewOfHpa,
  type CalendarObject,
  type DeploymentObject,
  type HpaObject,
  type ScheduleObject,
} from './resource.js';
import { ScopedInformer } from './scoped-informer.js';
import { WorkQueue } from './work-queue.js';

export interface ControllerOptions {
  kubeConfig: KubeConfig;
  clock?: Clock;
  log?: Logger;
  metrics?: ControllerMetrics;
  identity?: string;
  concurrency?: number;
  /** Namespaces to watch (see WATCH_NAMESPACE); empty or absent = the whole cluster. */
  watchNamespaces?: readonly string[];
  /** Lease coordinates; false runs without election (a single instance, e.g. in a test). */
  leaderElection?: ({ namespace: string; name?: string } & Partial<LeaseTimings>) | false;
  /** Slack added to a boundary before requeueing, so the reconcile lands after it. */
  boundarySlackMs?: number;
}

const statusCode = (error: unknown) => (error as { code?: number }).code;
const targetKey = (schedule: ScheduleObject) =>
  `${schedule.metadata?.namespace}/${targetName(schedule)}`;
const sleeperOwnerKey = (deployment: DeploymentObject) => {
  const sleep = viewOfDeployment(deployment).sleep;
  return sleep ? `${deployment.metadata?.namespace}/${sleep.schedule}` : undefined;
};
const resourceVersion = (object: { metadata?: { resourceVersion?: string } } | undefined) => {
  try {
    return BigInt(object?.metadata?.resourceVersion ?? '0');
  } catch {
    return 0n;
  }
};
const ownerKey = (hpa: HpaObject) => {
  const owner = hpa.metadata?.annotations?.[MANAGED_BY_ANNOTATION];
  return owner ? `${hpa.metadata?.namespace}/${owner}` : undefined;
};

interface QueuedEvent {
  subject: EventSubject;
  related?: EventSubject;
  event: PlannedEvent;
}

/** Adds and removes members of a key → keys index. */
class Index {
  private readonly forward = new Map<string, string>();
  private readonly reverse = new Map<string, Set<string>>();

  set(member: string, group: string | undefined): void {
    const before = this.forward.get(member);
    if (before === group) return;
    if (before !== undefined) {
      const set = this.reverse.get(before)!;
      set.delete(member);
      if (set.size === 0) this.reverse.delete(before);
    }
    if (group === undefined) this.forward.delete(member);
    else {
      this.forward.set(member, group);
      let set = this.reverse.get(group);
      if (!set) this.reverse.set(group, (set = new Set()));
      set.add(member);
    }
  }

  owner(member: string): string | undefined {
    return this.forward.get(member);
  }

  members(group: string): string[] {
    return [...(this.reverse.get(group) ?? [])];
  }

  clear(): void {
    this.forward.clear();
    this.reverse.clear();
  }
}

export class ScalingScheduleController {
  readonly kubeConfig: CountingKubeConfig;
  readonly metrics: ControllerMetrics;
  readonly identity: string;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly api: KubeApi;
  private readonly elector: LeaderElector | undefined;
  private schedules: ScopedInformer<ScheduleObject> | undefined;
  private hpas: ScopedInformer<HpaObject> | undefined;
  /** Only the Deployments a sleep window scaled to zero (label selector): a small cache. */
  private sleepingDeployments: ScopedInformer<DeploymentObject> | undefined;
  /** Our last write to each sleeping (or just woken) Deployment, until the watch shows it. */
  private readonly writtenDeployments = new Map<string, DeploymentObject>();
  private calendars: ScopedInformer<CalendarObject> | undefined;
  /** Schedule key → the calendar key of its spec.calendarRef (members: schedules). */
  private readonly calendarUsers = new Index();
  /** Deployment key → the schedule key its sleep record names. */
  private readonly sleepers = new Index();
  private queue: WorkQueue | undefined;
  private recorder: EventRecorder<QueuedEvent> | undefined;
  private readonly freshSchedules = new FreshCache<ScheduleObject>();
  private readonly freshHpas = new FreshCache<HpaObject>();
  /** Schedule key → the HPA key it targets (members: schedules; groups: HPAs). */
  private readonly targets = new Index();
  /** HPA key → the schedule key its record names (members: HPAs; groups: schedules). */
  private readonly owners = new Index();
  private running = false;
  private synced = false;

  constructor(private readonly options: ControllerOptions) {
    this.kubeConfig = CountingKubeConfig.from(options.kubeConfig);
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
    this.metrics = options.metrics ?? createMetrics();
    this.identity = options.identity ?? `${hostname()}-${process.pid}`;
    this.kubeConfig.onRequest((method, url) => {
      this.metrics.apiRequests.inc({ method });
      // Sent writes only (the fence refuses before this point): the two-writers test reads these.
      if (method !== 'GET') this.log.debug({ method, url, identity: this.identity }, 'api write');
    });
    this.api = new KubeApi(this.kubeConfig, this.identity);
    if (options.leaderElection) {
      const election = options.leaderElection;
      const elector = new LeaderElector(this.kubeConfig, {
        namespace: election.namespace,
        name: election.name ?? 'tourkit-scaling-schedule-controller',
        identity: this.identity,
        leaseDurationMs: election.leaseDurationMs ?? DEFAULT_LEASE_TIMINGS.leaseDurationMs,
        renewDeadlineMs: election.renewDeadlineMs ?? DEFAULT_LEASE_TIMINGS.renewDeadlineMs,
        retryPeriodMs: election.retryPeriodMs ?? DEFAULT_LEASE_TIMINGS.retryPeriodMs,
        log: this.log,
        onStartedLeading: () => {
          this.metrics.leader.set(1);
          void this.run();
        },
        onStoppedLeading: () => {
          this.metrics.leader.set(0);
          void this.halt();
        },
      });
      this.elector = elector;
      // The fence: no write leaves this process unless its lease is fresh (Lease calls excepted).
      this.kubeConfig.setGuard((method, url) => {
        if (url.includes('/leases')) return;
        if (!elector.mayWrite()) {
          this.metrics.writesRefused.inc();
          throw new WriteRefused(`${method} refused: not the leader, or the lease is stale`);
        }
      });
    }
  }

  get isLeader(): boolean {
    return this.elector ? this.elector.isLeader : this.running;
  }

  /** Ready = leading with synced caches, or following (a follower is healthy too). */
  get ready(): boolean {
    return this.running ? this.synced : true;
  }

  async start(): Promise<void> {
    if (this.elector) this.elector.start();
    else await this.run();
  }

  /** Resolves once no reconcile of this instance is in flight: a stopped controller writes nothing more. */
  async stop(): Promise<void> {
    await this.halt();
    await this.queue?.idle();
    await this.recorder?.idle();
    await this.elector?.stop();
  }

  /** Resolves once nothing is queued or being reconciled, and every Event is sent. */
  async idle(): Promise<void> {
    await this.queue?.idle();
    await this.recorder?.idle();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.synced = false;
    this.targets.clear();
    this.owners.clear();
    this.sleepers.clear();
    this.writtenDeployments.clear();
    this.calendarUsers.clear();
    const custom = this.kubeConfig.makeApiClient(CustomObjectsApi);
    const autoscaling = this.kubeConfig.makeApiClient(AutoscalingV2Api);
    const apps = this.kubeConfig.makeApiClient(AppsV1Api);
    const queue = new WorkQueue((key) => this.reconcile(key), {
      concurrency: this.options.concurrency ?? 16,
      baseBackoffMs: 250,
      maxBackoffMs: 60_000,
      maxDelayMs: 15 * 60_000,
      paused: true,
      onError: (key, error, attempt) => {
        this.metrics.reconciles.inc({ result: 'error' });
        this.log.warn({ key, attempt, err: error }, 'reconcile failed; retrying with backoff');
      },
    });
    this.queue = queue;
    this.recorder = new EventRecorder<QueuedEvent>(
      ({ subject, related, event }) => this.api.recordEvent(subject, related, event),
      {
        concurrency: 8,
        maxQueued: 10_000,
        onDrop: () => this.metrics.eventsDropped.inc(),
        // State first: Events wait (30 s at most) while reconciles are queued.
        holdWhile: () => queue.pending > 0,
        maxHoldMs: 30_000,
        onError: (error) => this.log.warn({ err: error }, 'could not record an event'),
      },
    );
    const namespaces = this.options.watchNamespaces ?? [];
    this.schedules = new ScopedInformer<ScheduleObject>(
      this.kubeConfig,
      GVR,
      namespaces,
      async (namespace) =>
        (namespace
          ? await custom.listNamespacedCustomObject({ ...GVR, namespace })
          : await custom.listClusterCustomObject(GVR)) as KubernetesListObject<ScheduleObject>,
    );
    this.hpas = new ScopedInformer<HpaObject>(
      this.kubeConfig,
      { group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers' },
      namespaces,
      async (namespace) =>
        (namespace
          ? await autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace })
          : await autoscaling.listHorizontalPodAutoscalerForAllNamespaces()) as KubernetesListObject<HpaObject>,
    );
    const asleep = `${ASLEEP_LABEL}=true`;
    this.sleepingDeployments = new ScopedInformer<DeploymentObject>(
      this.kubeConfig,
      { group: 'apps', version: 'v1', plural: 'deployments' },
      namespaces,
      async (namespace) =>
        (namespace
          ? await apps.listNamespacedDeployment({ namespace, labelSelector: asleep })
          : await apps.listDeploymentForAllNamespaces({
              labelSelector: asleep,
            })) as KubernetesListObject<DeploymentObject>,
      asleep,
    );
    const onDeployment = (deployment: DeploymentObject, gone: boolean) => {
      const key = keyOf(deployment);
      const mine = this.writtenDeployments.get(key);
      const echo = !!mine && resourceVersion(mine) === resourceVersion(deployment);
      const before = this.sleepers.owner(key);
      if (gone) {
        // Deleted, or woken (it left the label selector): nothing of ours to track.
        this.writtenDeployments.delete(key);
        this.sleepers.set(key, undefined);
      } else {
        if (mine && resourceVersion(deployment) >= resourceVersion(mine))
          this.writtenDeployments.delete(key);
        this.sleepers.set(key, sleeperOwnerKey(deployment));
      }
      if (echo) return;
      for (const owner of new Set([before, sleeperOwnerKey(deployment)]))
        if (owner) queue.add(owner);
    };
    this.sleepingDeployments.on('add', (d) => onDeployment(d, false));
    this.sleepingDeployments.on('update', (d) => onDeployment(d, false));
    this.sleepingDeployments.on('delete', (d) => onDeployment(d, true));
    this.calendars = new ScopedInformer<CalendarObject>(
      this.kubeConfig,
      CALENDAR_GVR,
      namespaces,
      async (namespace) =>
        (namespace
          ? await custom.listNamespacedCustomObject({ ...CALENDAR_GVR, namespace })
          : await custom.listClusterCustomObject(
              CALENDAR_GVR,
            )) as KubernetesListObject<CalendarObject>,
    );
    // A calendar changed, appeared or went: every schedule that names it is planned again.
    const onCalendar = (calendar: CalendarObject) => {
      for (const schedule of this.calendarUsers.members(keyOf(calendar))) queue.add(schedule);
    };
    this.calendars.on('add', onCalendar);
    this.calendars.on('update', onCalendar);
    this.calendars.on('delete', onCalendar);
    const onSchedule = (schedule: ScheduleObject) => {
      const key = keyOf(schedule);
      this.targets.set(key, targetKey(schedule));
      const calendar = calendarName(schedule);
      this.calendarUsers.set(
        key,
        calendar ? `${schedule.metadata?.namespace}/${calendar}` : undefined,
      );
      // The watch event of our own status write: nothing new to reconcile.
      if (this.freshSchedules.isEcho(key, schedule)) return;
      queue.add(key);
    };
    this.schedules.on('add', onSchedule);
    this.schedules.on('update', onSchedule);
    this.schedules.on('delete', (schedule) => {
      const key = keyOf(schedule);
      this.targets.set(key, undefined);
      this.calendarUsers.set(key, undefined);
      this.freshSchedules.forget(key);
      this.dropMetrics(schedule);
      queue.forget(key);
      queue.add(key); // gives back the HPAs it managed
    });
    const onHpa = (hpa: HpaObject) => {
      const key = keyOf(hpa);
      const echo = this.freshHpas.isEcho(key, hpa);
      this.indexHpa(key, this.readHpa(key));
      if (echo) return;
      const owner = ownerKey(hpa);
      if (owner) queue.add(owner);
      for (const schedule of this.targets.members(key)) queue.add(schedule);
    };
    this.hpas.on('add', onHpa);
    this.hpas.on('update', onHpa);
    this.hpas.on('delete', (hpa) => {
      const key = keyOf(hpa);
      // A deleted HPA must not survive in the overlay of our own writes.
      this.freshHpas.forget(key);
      this.owners.set(key, undefined);
      const owner = ownerKey(hpa);
      if (owner) queue.add(owner);
      for (const schedule of this.targets.members(key)) queue.add(schedule);
    });
    const informers = [
      ...this.schedules.informers,
      ...this.hpas.informers,
      ...this.sleepingDeployments.informers,
      ...this.calendars.informers,
    ] as Informer<KubernetesObject>[];
    for (const informer of informers) {
      informer.on('error', (error: unknown) => {
        if (!this.running) return; // stopped on purpose
        this.log.warn({ err: error }, 'watch failed; restarting in 2s');
        setTimeout(() => {
          if (this.running) void informer.start().catch(() => undefined);
        }, 2_000).unref();
      });
    }
    // Both caches whole before the first reconcile: a schedule missing from a half-listed cache
    // would read as deleted, and its HPA would be given back.
    await Promise.all(informers.map((informer) => this.startWithRetry(informer)));
    if (!this.running) return;
    this.synced = true;
    queue.start();
    this.log.info(
      { identity: this.identity, namespaces: namespaces.length > 0 ? namespaces : 'all' },
      'controller running',
    );
  }

  private async startWithRetry(informer: Informer<KubernetesObject>): Promise<void> {
    for (let attempt = 0; this.running; attempt++) {
      try {
        await informer.start();
        return;
      } catch (error) {
        this.log.warn({ err: error, attempt }, 'could not list; retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 500 * 2 ** attempt)));
      }
    }
  }

  private async halt(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.queue?.stop();
    this.recorder?.stop();
    await Promise.all([
      this.schedules?.stop(),
      this.hpas?.stop(),
      this.sleepingDeployments?.stop(),
      this.calendars?.stop(),
    ]);
  }

  private dropMetrics(schedule: ScheduleObject): void {
    const labels = {
      namespace: schedule.metadata?.namespace ?? '',
      name: schedule.metadata?.name ?? '',
    };
    this.metrics.minReplicas.remove(labels);
    this.metrics.maxReplicas.remove(labels);
    this.metrics.nextTransition.remove(labels);
  }

  private indexHpa(key: string, hpa: HpaObject | undefined): void {
    this.owners.set(key, hpa ? ownerKey(hpa) : undefined);
  }

  private readSchedule(key: string): ScheduleObject | undefined {
    const [namespace, name] = key.split('/') as [string, string];
    return this.freshSchedules.read(key, this.schedules?.get(name, namespace));
  }

  private readHpa(key: string): HpaObject | undefined {
    const [namespace, name] = key.split('/') as [string, string];
    return this.freshHpas.read(key, this.hpas?.get(name, namespace));
  }

  /** The newest of the sleeping-Deployment cache and our own last write to it. */
  private readDeployment(key: string): DeploymentObject | undefined {
    const [namespace, name] = key.split('/') as [string, string];
    const cached = this.sleepingDeployments?.get(name, namespace);
    const mine = this.writtenDeployments.get(key);
    if (!mine) return cached;
    if (!cached) return mine;
    return resourceVersion(cached) >= resourceVersion(mine) ? cached : mine;
  }

  private rememberDeployment(key: string, deployment: DeploymentObject): void {
    this.writtenDeployments.set(key, deployment);
    this.sleepers.set(key, sleeperOwnerKey(deployment));
  }

  /** Wakes every Deployment this schedule put to sleep except `keep`. */
  private async wakeOwned(key: string, keep: string | undefined): Promise<number> {
    let writes = 0;
    for (const deploymentKey of this.sleepers.members(key)) {
      if (deploymentKey === keep) continue;
      const deployment = this.readDeployment(deploymentKey);
      const sleep = deployment && viewOfDeployment(deployment).sleep;
      if (!deployment || !sleep || sleeperOwnerKey(deployment) !== key) continue;
      if (!(await this.wake(deploymentKey, sleep.replicas, deployment))) continue;
      writes++;
      const [namespace, name] = deploymentKey.split('/') as [string, string];
      this.event(deploymentSubject(namespace, name), undefined, {
        type: 'Normal',
        reason: 'Woken',
        action: 'Wake',
        note: `ScalingSchedule ${sleep.schedule} no longer puts it to sleep: ${sleep.replicas} replicas given back`,
      });
    }
    return writes;
  }

  /** Gives a Deployment its replicas back; false when it is gone. */
  private async wake(
    deploymentKey: string,
    replicas: number,
    seen: DeploymentObject | undefined,
  ): Promise<boolean> {
    const [namespace, name] = deploymentKey.split('/') as [string, string];
    try {
      const woken = await this.api.wakeDeployment(
        namespace,
        name,
        replicas,
        seen?.metadata?.resourceVersion,
      );
      this.rememberDeployment(deploymentKey, woken);
    } catch (error) {
      if (statusCode(error) !== 404) throw error;
      this.sleepers.set(deploymentKey, undefined);
      this.writtenDeployments.delete(deploymentKey);
      return false;
    }
    return true;
  }

  private rememberHpa(key: string, hpa: HpaObject): void {
    this.freshHpas.remember(key, hpa);
    this.indexHpa(key, hpa);
  }

  private event(subject: EventSubject, related: EventSubject | undefined, event: PlannedEvent) {
    this.recorder?.record({ subject, ...(related ? { related } : {}), event });
  }

  /** Gives an HPA back; false when it is gone (nothing left to give back). */
  private async release(hpaKey: string, release: Release): Promise<boolean> {
    const [namespace, name] = hpaKey.split('/') as [string, string];
    try {
      this.rememberHpa(hpaKey, await this.api.releaseHpa(namespace, name, release.bounds));
      return true;
    } catch (error) {
      if (statusCode(error) !== 404) throw error;
      this.indexHpa(hpaKey, undefined);
      return false;
    }
  }

  /** Every HPA recorded as managed by this schedule except `keep`: give each back. */
  private async releaseOwned(
    key: string,
    keep: string | undefined,
    why: (hpaName: string) => string,
    schedule: ScheduleObject | undefined,
  ): Promise<number> {
    let writes = 0;
    for (const hpaKey of this.owners.members(key)) {
      if (hpaKey === keep) continue;
      const hpa = this.readHpa(hpaKey);
      const release = hpa ? planRelease(viewOfHpa(hpa)) : null;
      if (!hpa || !release || ownerKey(hpa) !== key) {
        this.indexHpa(hpaKey, hpa);
        continue;
      }
      // Another live schedule targets it: it takes the record over as it is (the originals are
      // the true ones), with no round trip through the original bounds.
      const heir = this.targets
        .members(hpaKey)
        .find((other) => other !== key && !this.readSchedule(other)?.metadata?.deletionTimestamp);
      if (heir) {
        this.queue?.add(heir);
        continue;
      }
      if (!(await this.release(hpaKey, release))) continue;
      writes++;
      const [namespace, hpaName] = hpaKey.split('/') as [string, string];
      const restored = release.bounds
        ? `restored min ${release.bounds.minReplicas}, max ${release.bounds.maxReplicas}`
        : 'no original bounds recorded; left the bounds as they are';
      const subject = schedule ? scheduleSubject(schedule) : hpaSubject(namespace, hpaName);
      const related = schedule ? hpaSubject(namespace, hpaName) : undefined;
      this.event(subject, related, {
        type: 'Normal',
        reason: 'Restored',
        action: 'Restore',
        note: `${why(hpaName)}: ${restored}`,
      });
    }
    return writes;
  }

  async reconcile(key: string): Promise<{ requeueAfterMs?: number | null }> {
    if (!this.running) return {};
    const [namespace, name] = key.split('/') as [string, string];
    let schedule = this.readSchedule(key);

    if (!schedule || schedule.metadata?.deletionTimestamp) {
      // Gone (or going): what it managed goes back to its owners. Nothing holds the deletion.
      const writes =
        (await this.releaseOwned(
          key,
          undefined,
          () => `ScalingSchedule ${name} deleted`,
          undefined,
        )) + (await this.wakeOwned(key, undefined));
      if (schedule?.metadata?.finalizers?.length) {
        try {
          await this.api.removeLegacyFinalizer(schedule);
        } catch (error) {
          if (statusCode(error) !== 404) throw error;
        }
      }
      this.metrics.reconciles.inc({ result: writes > 0 ? 'released' : 'noop' });
      return {};
    }

    const hpaKey = targetKey(schedule);
    const hpaName = hpaKey.slice(namespace.length + 1);
    let wrote =
      (await this.releaseOwned(
        key,
        hpaKey,
        (old) => `targetRef moved from ${old} to ${hpaName}`,
        schedule,
      )) > 0;
    const hpa = this.readHpa(hpaKey);
    const view = hpa ? viewOfHpa(hpa) : null;
    // Another schedule recorded on the HPA, still alive and still targeting it, keeps it.
    let claimedBy: string | undefined;
    if (view?.managedBy && view.managedBy !== name) {
      const other = this.readSchedule(`${namespace}/${view.managedBy}`);
      if (other && !other.metadata?.deletionTimestamp && targetKey(other) === hpaKey)
        claimedBy = view.managedBy;
    }

    const sleepTarget = view?.scaleTarget?.kind === 'Deployment' ? view.scaleTarget : undefined;
    const deploymentKey = sleepTarget ? `${namespace}/${sleepTarget.name}` : undefined;
    const deployment = deploymentKey ? this.readDeployment(deploymentKey) : undefined;

    const calendarRef = calendarName(schedule);
    const calendar = calendarRef ? this.calendars?.get(calendarRef, namespace) : undefined;

    const now = this.clock();
    const planned = plan(
      schedule,
      view,
      now,
      claimedBy,
      deployment ? viewOfDeployment(deployment) : null,
      calendar ? { name: calendarRef!, spec: calendar.spec } : null,
    );
    // Deployments this schedule put to sleep that the plan does not speak for (another target
    // now, the HPA gone, a spec that no longer validates): woken.
    const planHandles = planned.sleep || planned.wake || planned.status.sleep;
    wrote = (await this.wakeOwned(key, planHandles ? deploymentKey : undefined)) > 0 || wrote;
    const labels = { namespace, name };

    if (planned.removeLegacyFinalizer) {
      await this.api.removeLegacyFinalizer(schedule);
      wrote = true;
    }
    try {
      if (planned.apply) {
        this.rememberHpa(
          hpaKey,
          await this.api.applyHpa(namespace, hpaName, planned.apply.bounds, {
            schedule: name,
            originals: planned.apply.originals,
          }),
        );
        wrote = true;
        if (planned.driftCorrected) this.metrics.driftCorrections.inc(labels);
      }
      if (planned.release) {
        wrote = (await this.release(hpaKey, planned.release)) || wrote;
      }
      if (planned.sleep && deploymentKey) {
        const slept = await this.api
          .sleepDeployment(namespace, planned.sleep.deployment, name, now)
          .catch((error: unknown) => {
            // Not the HPA's 404 below (which its delete event resolves): retried with backoff.
            if (statusCode(error) !== 404) throw error;
            throw new Error(
              `Deployment ${planned.sleep!.deployment} not found: the sleep window cannot scale it to zero`,
            );
          });
        this.rememberDeployment(deploymentKey, slept);
        const record = viewOfDeployment(slept).sleep!;
        planned.status.sleep = {
          deployment: planned.sleep.deployment,
          replicasBefore: record.replicas,
          since: record.since,
        };
        wrote = true;
      }
      if (planned.wake && deploymentKey) {
        wrote = (await this.wake(deploymentKey, planned.wake.replicas, deployment)) || wrote;
      }
    } catch (error) {
      // Deleted between the cache read and the write: the HPA delete event brings us back.
      if (statusCode(error) === 404) return {};
      throw error;
    }
    if (!sameJson(schedule.status, planned.status)) {
      try {
        schedule = await this.api.applyStatus(schedule, planned.status);
        this.freshSchedules.remember(key, schedule);
        wrote = true;
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
        return {}; // deleted meanwhile: its delete event releases the HPA
      }
    }
    for (const event of planned.events)
      this.event(scheduleSubject(schedule), hpaSubject(namespace, hpaName), event);

    if (planned.transitionDueAt) {
      this.metrics.transitionLag.observe(
        Math.max(0, now.getTime() - planned.transitionDueAt.getTime()) / 1000,
      );
    }
    const bounds = planned.status.appliedBounds;
    if (bounds) {
      this.metrics.minReplicas.set(labels, bounds.minReplicas);
      this.metrics.maxReplicas.set(labels, bounds.maxReplicas);
    } else {
      this.metrics.minReplicas.remove(labels);
      this.metrics.maxReplicas.remove(labels);
    }
    if (planned.requeueAt)
      this.metrics.nextTransition.set(labels, planned.requeueAt.getTime() / 1000);
    else this.metrics.nextTransition.remove(labels);
    this.metrics.reconciles.inc({ result: wrote ? 'changed' : 'noop' });

    if (!planned.requeueAt) return { requeueAfterMs: null };
    return {
      requeueAfterMs:
        planned.requeueAt.getTime() - now.getTime() + (this.options.boundarySlackMs ?? 20),
    };
  }
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a ?? {})) === JSON.stringify(canonical(b ?? {}));
}
