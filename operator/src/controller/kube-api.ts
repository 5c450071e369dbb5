// Every write this controller makes to the API server, in one place.
import {
  AppsV1Api,
  AutoscalingV2Api,
  CustomObjectsApi,
  EventsV1Api,
  PatchStrategy,
  V1MicroTime,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { Bounds, ScalingScheduleStatus } from '../schedule/schema.js';
import type { PlannedEvent } from './plan.js';
import {
  ASLEEP_LABEL,
  CONTROLLER_NAME,
  FIELD_MANAGER,
  GVR,
  KIND,
  LEGACY_FINALIZER,
  MANAGED_BY_ANNOTATION,
  ORIGINAL_BOUNDS_ANNOTATION,
  RESTORE_FIELD_MANAGER,
  SCHEDULE_API_VERSION,
  SLEEP_ANNOTATION,
  parseSleepRecord,
  type DeploymentObject,
  type HpaObject,
  type ScheduleObject,
} from './resource.js';

/** What an Event is about: a schedule, or an HPA whose schedule is gone. */
export interface EventSubject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  uid?: string;
}

export const scheduleSubject = (schedule: ScheduleObject): EventSubject => ({
  apiVersion: SCHEDULE_API_VERSION,
  kind: KIND,
  name: schedule.metadata!.name!,
  namespace: schedule.metadata!.namespace!,
  ...(schedule.metadata?.uid ? { uid: schedule.metadata.uid } : {}),
});

export const hpaSubject = (namespace: string, name: string): EventSubject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  name,
  namespace,
});

export const deploymentSubject = (namespace: string, name: string): EventSubject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name,
  namespace,
});

const apply = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

export class KubeApi {
  private readonly custom: CustomObjectsApi;
  private readonly autoscaling: AutoscalingV2Api;
  private readonly events: EventsV1Api;
  private readonly apps: AppsV1Api;

  constructor(
    kc: KubeConfig,
    private readonly identity: string,
  ) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.autoscaling = kc.makeApiClient(AutoscalingV2Api);
    this.events = kc.makeApiClient(EventsV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
  }

  /** Drops a pre-0.2 finalizer (test-and-remove: never another controller's entry). */
  async removeLegacyFinalizer(schedule: ScheduleObject): Promise<void> {
    const index = (schedule.metadata?.finalizers ?? []).indexOf(LEGACY_FINALIZER);
    if (index < 0) return;
    await this.custom.patchNamespacedCustomObject(
      {
        ...GVR,
        namespace: schedule.metadata!.namespace!,
        name: schedule.metadata!.name!,
        body: [
          { op: 'test', path: `/metadata/finalizers/${index}`, value: LEGACY_FINALIZER },
          { op: 'remove', path: `/metadata/finalizers/${index}` },
        ],
      },
      jsonPatch,
    );
  }

  /**
   * Server-side apply of the status; fields this manager no longer sets are removed. A CRD older
   * than this controller (installed separately, not yet upgraded) refuses status fields it does not
   * declare: those are left out and the rest is written, rather than no status at all.
   */
  async applyStatus(
    schedule: ScheduleObject,
    status: ScalingScheduleStatus,
  ): Promise<ScheduleObject> {
    let attempt: Record<string, unknown> = { ...status };
    for (let tries = 0; ; tries++) {
      try {
        return await this.applyStatusOnce(schedule, attempt as ScalingScheduleStatus);
      } catch (error) {
        const undeclared = [
          ...String((error as { body?: unknown }).body ?? '').matchAll(
            /\.status\.(\w+): field not declared in schema/g,
          ),
        ].map((m) => m[1]!);
        if (undeclared.length === 0 || tries >= 3) throw error;
        attempt = Object.fromEntries(
          Object.entries(attempt).filter(([key]) => !undeclared.includes(key)),
        );
      }
    }
  }

  private async applyStatusOnce(
    schedule: ScheduleObject,
    status: ScalingScheduleStatus,
  ): Promise<ScheduleObject> {
    return (await this.custom.patchNamespacedCustomObjectStatus(
      {
        ...GVR,
        namespace: schedule.metadata!.namespace!,
        name: schedule.metadata!.name!,
        fieldManager: FIELD_MANAGER,
        force: true,
        body: {
          apiVersion: SCHEDULE_API_VERSION,
          kind: KIND,
          metadata: { name: schedule.metadata!.name, namespace: schedule.metadata!.namespace },
          status,
        },
      },
      apply,
    )) as ScheduleObject;
  }

  /**
   * One server-side apply: the bounds and the management record (two annotations). This manager
   * owns those four fields and nothing else of the HPA (force: it takes them from others).
   */
  async applyHpa(
    namespace: string,
    name: string,
    bounds: Bounds,
    record: { schedule: string; originals: Bounds },
  ): Promise<HpaObject> {
    return (await this.autoscaling.patchNamespacedHorizontalPodAutoscaler(
      {
        namespace,
        name,
        fieldManager: FIELD_MANAGER,
        force: true,
        body: {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: {
            name,
            namespace,
            annotations: {
              [MANAGED_BY_ANNOTATION]: record.schedule,
              [ORIGINAL_BOUNDS_ANNOTATION]: JSON.stringify(record.originals),
            },
          },
          spec: { minReplicas: bounds.minReplicas, maxReplicas: bounds.maxReplicas },
        },
      },
      apply,
    )) as HpaObject;
  }

  /**
   * Gives an HPA back: the original bounds (when known) and no record. A plain update, so that
   * changed bounds leave this manager's apply set and belong to no schedule any more.
   */
  async releaseHpa(namespace: string, name: string, bounds: Bounds | null): Promise<HpaObject> {
    return (await this.autoscaling.patchNamespacedHorizontalPodAutoscaler(
      {
        namespace,
        name,
        fieldManager: RESTORE_FIELD_MANAGER,
        body: {
          metadata: {
            annotations: { [MANAGED_BY_ANNOTATION]: null, [ORIGINAL_BOUNDS_ANNOTATION]: null },
          },
          ...(bounds
            ? { spec: { minReplicas: bounds.minReplicas, maxReplicas: bounds.maxReplicas } }
            : {}),
        },
      },
      mergePatch,
    )) as HpaObject;
  }

  /**
   * A sleep window: the Deployment to zero, and in the same patch the record of what it had (the
   * label the controller's watch selects, the annotation with the schedule and the replicas). The
   * replicas are read first and the patch carries that resourceVersion, so a scale in between
   * fails the patch (retried) instead of being recorded wrong. A record already there is kept:
   * its replicas are the true ones, the Deployment's are the sleep's 0.
   */
  async sleepDeployment(
    namespace: string,
    name: string,
    schedule: string,
    now: Date,
  ): Promise<DeploymentObject> {
    const current = (await this.apps.readNamespacedDeployment({
      namespace,
      name,
    })) as DeploymentObject;
    const before = parseSleepRecord(current.metadata?.annotations?.[SLEEP_ANNOTATION]);
    const record = {
      schedule,
      replicas: before?.replicas ?? current.spec?.replicas ?? 1,
      since: before?.since ?? now.toISOString(),
    };
    return (await this.apps.patchNamespacedDeployment(
      {
        namespace,
        name,
        fieldManager: FIELD_MANAGER,
        body: {
          metadata: {
            resourceVersion: current.metadata?.resourceVersion,
            labels: { [ASLEEP_LABEL]: 'true' },
            annotations: { [SLEEP_ANNOTATION]: JSON.stringify(record) },
          },
          spec: { replicas: 0 },
        },
      },
      mergePatch,
    )) as DeploymentObject;
  }

  /**
   * Wakes a Deployment: the recorded replicas back, the record removed. `resourceVersion` is the
   * version the decision was made on: a Deployment changed since fails the patch (retried on the
   * fresh object).
   */
  async wakeDeployment(
    namespace: string,
    name: string,
    replicas: number,
    resourceVersion: string | undefined,
  ): Promise<DeploymentObject> {
    return (await this.apps.patchNamespacedDeployment(
      {
        namespace,
        name,
        fieldManager: RESTORE_FIELD_MANAGER,
        body: {
          metadata: {
            ...(resourceVersion ? { resourceVersion } : {}),
            labels: { [ASLEEP_LABEL]: null },
            annotations: { [SLEEP_ANNOTATION]: null },
          },
          spec: { replicas },
        },
      },
      mergePatch,
    )) as DeploymentObject;
  }

  async recordEvent(subject: EventSubject, related: EventSubject | undefined, event: PlannedEvent) {
    await this.events.createNamespacedEvent({
      namespace: subject.namespace,
      body: {
        metadata: { generateName: `${subject.name}-`, namespace: subject.namespace },
        eventTime: new V1MicroTime(),
        reportingController: CONTROLLER_NAME,
        reportingInstance: this.identity.slice(0, 128),
        type: event.type,
        reason: event.reason,
        action: event.action,
        note: event.note.slice(0, 1024),
        regarding: subject,
        ...(related ? { related } : {}),
      },
    });
  }
}
