import type {
  KubernetesObject,
  V1Deployment,
  V1HorizontalPodAutoscaler,
  V1ManagedFieldsEntry,
} from '@kubernetes/client-node';
import {
  API_GROUP,
  API_VERSION,
  CALENDAR_PLURAL,
  KIND,
  PLURAL,
  type Bounds,
  type ScalingScheduleStatus,
} from '../schedule/schema.js';

export const FIELD_MANAGER = 'tourkit-scaling-schedule';
/** The field manager of a restore: a plain update, so the bounds leave FIELD_MANAGER's apply set. */
export const RESTORE_FIELD_MANAGER = `${FIELD_MANAGER}-restore`;
/**
 * Versions before 0.2 held a finalizer on the schedule and the original bounds in its annotation.
 * The record now lives on the HPA (below); the old finalizer is only ever removed.
 */
export const LEGACY_FINALIZER = `${API_GROUP}/restore-bounds`;
/**
 * On the HPA, written in the same server-side apply as the bounds: which schedule (same namespace)
 * manages it, and the bounds to give back. The record travels with the HPA, so a deleted,
 * re-targeted or re-created schedule, or a restarted controller, always knows what to restore,
 * and no finalizer is needed on the schedule (nothing can hold its deletion).
 */
export const MANAGED_BY_ANNOTATION = `${API_GROUP}/managed-by`;
export const ORIGINAL_BOUNDS_ANNOTATION = `${API_GROUP}/original-bounds`;
/**
 * On a Deployment a sleep window scaled to zero, written in the same patch as `replicas: 0`: the
 * label selects the sleeping Deployments for the controller's watch (it never lists the others),
 * the annotation names the schedule and the replicas to give back. Like the HPA's record it
 * travels with the object: a deleted schedule or a restarted controller still wakes it.
 */
export const ASLEEP_LABEL = `${API_GROUP}/asleep`;
export const SLEEP_ANNOTATION = `${API_GROUP}/sleep`;
export const CONTROLLER_NAME = `${API_GROUP}/scaling-schedule-controller`;
export const GVR = { group: API_GROUP, version: API_VERSION, plural: PLURAL } as const;
export const CALENDAR_GVR = {
  group: API_GROUP,
  version: API_VERSION,
  plural: CALENDAR_PLURAL,
} as const;
export const SCHEDULE_API_VERSION = `${API_GROUP}/${API_VERSION}`;
export { KIND };

export interface ScheduleObject extends KubernetesObject {
  spec?: unknown;
  status?: ScalingScheduleStatus;
}

export type HpaObject = V1HorizontalPodAutoscaler & KubernetesObject;
export type DeploymentObject = V1Deployment & KubernetesObject;

/** The sleep record on a Deployment. */
export interface SleepRecord {
  schedule: string;
  replicas: number;
  since: string;
}

export interface DeploymentView {
  name: string;
  replicas: number;
  /** Present when a schedule put it to sleep (label and readable record). */
  sleep?: SleepRecord;
}

export function parseSleepRecord(text: string | undefined): SleepRecord | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<SleepRecord>;
    if (
      typeof value.schedule === 'string' &&
      Number.isInteger(value.replicas) &&
      typeof value.since === 'string'
    )
      return { schedule: value.schedule, replicas: value.replicas!, since: value.since };
  } catch {
    // unreadable: not ours to wake
  }
  return undefined;
}

export function viewOfDeployment(deployment: DeploymentObject): DeploymentView {
  const sleep =
    deployment.metadata?.labels?.[ASLEEP_LABEL] === 'true'
      ? parseSleepRecord(deployment.metadata?.annotations?.[SLEEP_ANNOTATION])
      : undefined;
  return {
    name: deployment.metadata?.name ?? '',
    replicas: deployment.spec?.replicas ?? 1,
    ...(sleep ? { sleep } : {}),
  };
}

export interface HpaView {
  name: string;
  uid?: string;
  bounds: Bounds;
  /** Managers other than this controller that own minReplicas or maxReplicas. */
  foreignOwners: string[];
  /** The schedule (same namespace) recorded as managing this HPA, if any. */
  managedBy?: string;
  /** The bounds recorded to give back; null when the record is absent or unreadable. */
  originals: Bounds | null;
  /** What the HPA scales (spec.scaleTargetRef): what a sleep window scales to zero. */
  scaleTarget?: { kind: string; name: string };
}

const BOUND_FIELDS = ['f:minReplicas', 'f:maxReplicas'];

function ownsBounds(entry: V1ManagedFieldsEntry): boolean {
  const spec = (entry.fieldsV1 as Record<string, Record<string, unknown>> | undefined)?.['f:spec'];
  return !!spec && BOUND_FIELDS.some((field) => field in spec);
}

export function viewOfHpa(hpa: HpaObject): HpaView {
  const annotations = hpa.metadata?.annotations ?? {};
  const managedBy = annotations[MANAGED_BY_ANNOTATION];
  return {
    name: hpa.metadata?.name ?? '',
    ...(hpa.metadata?.uid ? { uid: hpa.metadata.uid } : {}),
    bounds: { minReplicas: hpa.spec?.minReplicas ?? 1, maxReplicas: hpa.spec?.maxReplicas ?? 1 },
    foreignOwners: (hpa.metadata?.managedFields ?? [])
      .filter(
        (entry) =>
          entry.manager !== FIELD_MANAGER &&
          entry.manager !== RESTORE_FIELD_MANAGER &&
          ownsBounds(entry),
      )
      .map((entry) => entry.manager ?? 'unknown'),
    ...(managedBy ? { managedBy } : {}),
    originals: parseBounds(annotations[ORIGINAL_BOUNDS_ANNOTATION]),
    ...(hpa.spec?.scaleTargetRef
      ? { scaleTarget: { kind: hpa.spec.scaleTargetRef.kind, name: hpa.spec.scaleTargetRef.name } }
      : {}),
  };
}

export function keyOf(object: KubernetesObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

export function parseBounds(text: string | undefined): Bounds | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Bounds>;
    if (Number.isInteger(value.minReplicas) && Number.isInteger(value.maxReplicas)) {
      return { minReplicas: value.minReplicas!, maxReplicas: value.maxReplicas! };
    }
  } catch {
    // An unreadable record is treated as absent: the HPA is adopted again.
  }
  return null;
}

/** The original bounds a pre-0.2 controller recorded on the schedule itself. */
export function legacyOriginalBounds(schedule: ScheduleObject): Bounds | null {
  return parseBounds(schedule.metadata?.annotations?.[ORIGINAL_BOUNDS_ANNOTATION]);
}

export interface CalendarObject extends KubernetesObject {
  spec?: unknown;
}

export function calendarName(schedule: ScheduleObject): string | undefined {
  return (schedule.spec as { calendarRef?: { name?: string } } | undefined)?.calendarRef?.name;
}

export function targetName(schedule: ScheduleObject): string {
  return (schedule.spec as { targetRef?: { name?: string } } | undefined)?.targetRef?.name ?? '';
}

export const sameBounds = (a: Bounds | undefined | null, b: Bounds | undefined | null): boolean =>
  !!a && !!b && a.minReplicas === b.minReplicas && a.maxReplicas === b.maxReplicas;
