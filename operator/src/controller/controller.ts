// The ScalingSchedule controller: informers on ScalingSchedules and HPAs feed a keyed queue; each
// reconcile plans from (schedule, HPA, clock) and writes only what differs; the key is requeued
// at the schedule's next boundary. Only the Lease holder runs it.
import {
  AutoscalingV2Api,
  CustomObjectsApi,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
} from '@kubernetes/client-node';
import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import { FreshCache } from './fresh-cache.js';
import { KubeApi } from './kube-api.js';
import { LeaderElector } from './leader-election.js';
import { createMetrics, type ControllerMetrics } from './metrics.js';
import { plan, planDeletion } from './plan.js';
import { CountingKubeConfig } from './request-counter.js';
import { GVR, keyOf, viewOfHpa, type HpaObject, type ScheduleObject } from './resource.js';
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
  leaderElection?:
    | { namespace: string; name?: string; leaseDurationSeconds?: number; retryPeriodMs?: number }
    | false;
  /** Slack added to a boundary before requeueing, so the reconcile lands after it. */
  boundarySlackMs?: number;
}

const statusCode = (error: unknown) => (error as { code?: number }).code;
const targetKey = (schedule: ScheduleObject) =>
  `${schedule.metadata?.namespace}/${(schedule.spec as { targetRef?: { name?: string } } | undefined)?.targetRef?.name ?? ''}`;

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
  private queue: WorkQueue | undefined;
  private readonly freshSchedules = new FreshCache<ScheduleObject>();
  private readonly freshHpas = new FreshCache<HpaObject>();
  private running = false;
  private synced = false;

  constructor(private readonly options: ControllerOptions) {
    this.kubeConfig = CountingKubeConfig.from(options.kubeConfig);
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? pino({ level: process.env.LOG_LEVEL ?? 'info' });
    this.metrics = options.metrics ?? createMetrics();
    this.identity = options.identity ?? `${hostname()}-${process.pid}`;
    this.kubeConfig.onRequest((method) => this.metrics.apiRequests.inc({ method }));
    this.api = new KubeApi(this.kubeConfig, this.identity);
    if (options.leaderElection) {
      const election = options.leaderElection;
      this.elector = new LeaderElector(this.kubeConfig, {
        namespace: election.namespace,
        name: election.name ?? 'tourkit-scaling-schedule-controller',
        identity: this.identity,
        leaseDurationSeconds: election.leaseDurationSeconds ?? 15,
        retryPeriodMs: election.retryPeriodMs ?? 2_000,
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
    await this.elector?.stop();
  }

  /** Resolves once nothing is queued or being reconciled. */
  async idle(): Promise<void> {
    await this.queue?.idle();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.synced = false;
    const custom = this.kubeConfig.makeApiClient(CustomObjectsApi);
    const autoscaling = this.kubeConfig.makeApiClient(AutoscalingV2Api);
    this.queue = new WorkQueue((key) => this.reconcile(key), {
      concurrency: this.options.concurrency ?? 8,
      baseBackoffMs: 250,
      maxBackoffMs: 60_000,
      maxDelayMs: 15 * 60_000,
      onError: (key, error, attempt) => {
        this.metrics.reconciles.inc({ result: 'error' });
        this.log.warn({ key, attempt, err: error }, 'reconcile failed; retrying with backoff');
      },
    });
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
    const enqueue = (schedule: ScheduleObject) => this.queue?.add(keyOf(schedule));
    this.schedules.on('add', enqueue);
    this.schedules.on('update', enqueue);
    this.schedules.on('delete', (schedule) => {
      this.queue?.forget(keyOf(schedule));
      this.freshSchedules.forget(keyOf(schedule));
      this.dropMetrics(schedule);
    });
    const enqueueOwners = (hpa: HpaObject) => {
      const key = keyOf(hpa);
      for (const schedule of this.schedules?.list(hpa.metadata?.namespace) ?? []) {
        if (targetKey(schedule) === key) enqueue(schedule);
      }
    };
    for (const verb of ['add', 'update', 'delete'] as const) this.hpas.on(verb, enqueueOwners);
    const informers = [...this.schedules.informers, ...this.hpas.informers] as Informer<
      ScheduleObject | HpaObject
    >[];
    for (const informer of informers) {
      informer.on('error', (error: unknown) => {
        if (!this.running) return; // stopped on purpose
        this.log.warn({ err: error }, 'watch failed; restarting in 2s');
        setTimeout(() => {
          if (this.running) void informer.start().catch(() => undefined);
        }, 2_000).unref();
      });
    }
    // HPAs first: the first schedule reconciles then see their targets.
    for (const informer of this.hpas.informers) await this.startWithRetry(informer);
    for (const informer of this.schedules.informers) await this.startWithRetry(informer);
    this.synced = true;
    this.log.info(
      { identity: this.identity, namespaces: namespaces.length > 0 ? namespaces : 'all' },
      'controller running',
    );
  }

  private async startWithRetry(
    informer: Informer<ScheduleObject> | Informer<HpaObject>,
  ): Promise<void> {
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
    await Promise.all([this.schedules?.stop(), this.hpas?.stop()]);
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

  private readSchedule(key: string): ScheduleObject | undefined {
    const [namespace, name] = key.split('/') as [string, string];
    return this.freshSchedules.read(key, this.schedules?.get(name, namespace));
  }

  private readHpa(key: string): HpaObject | undefined {
    const [namespace, name] = key.split('/') as [string, string];
    return this.freshHpas.read(key, this.hpas?.get(name, namespace));
  }

  async reconcile(key: string): Promise<{ requeueAfterMs?: number | null }> {
    let schedule = this.readSchedule(key);
    if (!schedule || !this.running) return {};
    const namespace = schedule.metadata!.namespace!;
    const hpaKey = targetKey(schedule);
    const hpaName = hpaKey.slice(namespace.length + 1);
    const hpa = this.readHpa(hpaKey);
    const hpaView = hpa ? viewOfHpa(hpa) : null;
    let wrote = false;

    if (schedule.metadata?.deletionTimestamp) {
      const deletion = planDeletion(schedule, hpaView);
      if (deletion.restoreBounds) {
        this.freshHpas.remember(
          hpaKey,
          await this.api.restoreHpaBounds(namespace, hpaName, deletion.restoreBounds),
        );
        await this.recordEvent(schedule, hpaName, {
          type: 'Normal',
          reason: 'Restored',
          action: 'Restore',
          note: `schedule deleted: restored min ${deletion.restoreBounds.minReplicas}, max ${deletion.restoreBounds.maxReplicas}`,
        });
      }
      if (deletion.removeFinalizer) {
        try {
          await this.api.removeFinalizer(schedule);
        } catch (error) {
          if (statusCode(error) !== 404) throw error; // already gone
        }
      }
      this.metrics.reconciles.inc({ result: deletion.removeFinalizer ? 'finalized' : 'noop' });
      return {};
    }

    const now = this.clock();
    const planned = plan(schedule, hpaView, now);
    const labels = { namespace, name: schedule.metadata!.name! };

    if (planned.metadata) {
      schedule = await this.api.patchScheduleMetadata(schedule, planned.metadata);
      this.freshSchedules.remember(key, schedule);
      wrote = true;
    }
    if (planned.applyBounds) {
      this.freshHpas.remember(
        hpaKey,
        await this.api.applyHpaBounds(namespace, hpaName, planned.applyBounds),
      );
      wrote = true;
      if (planned.driftCorrected) this.metrics.driftCorrections.inc(labels);
    }
    if (planned.restoreBounds) {
      this.freshHpas.remember(
        hpaKey,
        await this.api.restoreHpaBounds(namespace, hpaName, planned.restoreBounds),
      );
      wrote = true;
    }
    if (!sameJson(schedule.status, planned.status)) {
      try {
        this.freshSchedules.remember(key, await this.api.applyStatus(schedule, planned.status));
        wrote = true;
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
        return {}; // deleted meanwhile
      }
    }
    for (const event of planned.events) await this.recordEvent(schedule, hpaName, event);

    if (planned.transitionDueAt) {
      this.metrics.transitionLag.observe(
        Math.max(0, now.getTime() - planned.transitionDueAt.getTime()) / 1000,
      );
    }
    const bounds = planned.status.appliedBounds;
    if (bounds) {
      this.metrics.minReplicas.set(labels, bounds.minReplicas);
      this.metrics.maxReplicas.set(labels, bounds.maxReplicas);
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

  private async recordEvent(
    schedule: ScheduleObject,
    hpaName: string,
    event: Parameters<KubeApi['recordEvent']>[2],
  ) {
    try {
      await this.api.recordEvent(schedule, hpaName, event);
    } catch (error) {
      // An event is a report, not state: losing one must not retry the whole reconcile.
      this.log.warn({ err: error, reason: event.reason }, 'could not record an event');
    }
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
