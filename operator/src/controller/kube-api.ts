// Every write this controller makes to the API server, in one place.
import {
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
  CONTROLLER_NAME,
  FIELD_MANAGER,
  FINALIZER,
  GVR,
  KIND,
  SCHEDULE_API_VERSION,
  type HpaObject,
  type ScheduleObject,
} from './resource.js';

const apply = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

export class KubeApi {
  private readonly custom: CustomObjectsApi;
  private readonly autoscaling: AutoscalingV2Api;
  private readonly events: EventsV1Api;

  constructor(
    kc: KubeConfig,
    private readonly identity: string,
  ) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.autoscaling = kc.makeApiClient(AutoscalingV2Api);
    this.events = kc.makeApiClient(EventsV1Api);
  }

  /** Adds the finalizer and the original-bounds annotation; fails on a concurrent change. */
  async patchScheduleMetadata(
    schedule: ScheduleObject,
    metadata: { finalizers: string[]; annotations: Record<string, string> },
  ): Promise<ScheduleObject> {
    return (await this.custom.patchNamespacedCustomObject(
      {
        ...GVR,
        namespace: schedule.metadata!.namespace!,
        name: schedule.metadata!.name!,
        fieldManager: FIELD_MANAGER,
        body: { metadata: { ...metadata, resourceVersion: schedule.metadata!.resourceVersion } },
      },
      mergePatch,
    )) as ScheduleObject;
  }

  async removeFinalizer(schedule: ScheduleObject): Promise<void> {
    const index = (schedule.metadata?.finalizers ?? []).indexOf(FINALIZER);
    if (index < 0) return;
    await this.custom.patchNamespacedCustomObject(
      {
        ...GVR,
        namespace: schedule.metadata!.namespace!,
        name: schedule.metadata!.name!,
        body: [
          { op: 'test', path: `/metadata/finalizers/${index}`, value: FINALIZER },
          { op: 'remove', path: `/metadata/finalizers/${index}` },
        ],
      },
      jsonPatch,
    );
  }

  /** Server-side apply of the status; fields this manager no longer sets are removed. */
  async applyStatus(
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

  /** Owns only spec.minReplicas and spec.maxReplicas of the HPA (force: take them from others). */
  async applyHpaBounds(namespace: string, name: string, bounds: Bounds): Promise<HpaObject> {
    return (await this.autoscaling.patchNamespacedHorizontalPodAutoscaler(
      {
        namespace,
        name,
        fieldManager: FIELD_MANAGER,
        force: true,
        body: {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name, namespace },
          spec: { minReplicas: bounds.minReplicas, maxReplicas: bounds.maxReplicas },
        },
      },
      apply,
    )) as HpaObject;
  }

  /** A plain update, so that the bounds leave this manager's apply set and belong to no schedule. */
  async restoreHpaBounds(namespace: string, name: string, bounds: Bounds): Promise<HpaObject> {
    return (await this.autoscaling.patchNamespacedHorizontalPodAutoscaler(
      {
        namespace,
        name,
        fieldManager: `${FIELD_MANAGER}-restore`,
        body: { spec: { minReplicas: bounds.minReplicas, maxReplicas: bounds.maxReplicas } },
      },
      mergePatch,
    )) as HpaObject;
  }

  async recordEvent(
    schedule: ScheduleObject,
    hpaName: string | undefined,
    event: PlannedEvent,
  ): Promise<void> {
    const { name, namespace, uid } = schedule.metadata!;
    await this.events.createNamespacedEvent({
      namespace: namespace!,
      body: {
        metadata: { generateName: `${name}-`, namespace },
        eventTime: new V1MicroTime(),
        reportingController: CONTROLLER_NAME,
        reportingInstance: this.identity.slice(0, 128),
        type: event.type,
        reason: event.reason,
        action: event.action,
        note: event.note.slice(0, 1024),
        regarding: { apiVersion: SCHEDULE_API_VERSION, kind: KIND, name, namespace, uid },
        ...(hpaName
          ? {
              related: {
                apiVersion: 'autoscaling/v2',
                kind: 'HorizontalPodAutoscaler',
                name: hpaName,
                namespace,
              },
            }
          : {}),
      },
    });
  }
}
