import type {
  KubernetesObject,
  V1HorizontalPodAutoscaler,
  V1ManagedFieldsEntry,
} from '@kubernetes/client-node';
import {
  API_GROUP,
  API_VERSION,
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
export const CONTROLLER_NAME = `${API_GROUP}/scaling-schedule-controller`;
export const GVR = { group: API_GROUP, version: API_VERSION, plural: PLURAL } as const;
export const SCHEDULE_API_VERSION = `${API_GROUP}/${API_VERSION}`;
export { KIND };

export interface ScheduleObject extends KubernetesObject {
  spec?: unknown;
  status?: ScalingScheduleStatus;
}

export type HpaObject = V1HorizontalPodAutoscaler & KubernetesObject;

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

export function targetName(schedule: ScheduleObject): string {
  return (schedule.spec as { targetRef?: { name?: string } } | undefined)?.targetRef?.name ?? '';
}

export const sameBounds = (a: Bounds | undefined | null, b: Bounds | undefined | null): boolean =>
  !!a && !!b && a.minReplicas === b.minReplicas && a.maxReplicas === b.maxReplicas;
