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
export const FINALIZER = `${API_GROUP}/restore-bounds`;
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
  bounds: Bounds;
  /** Managers other than this controller that own minReplicas or maxReplicas. */
  foreignOwners: string[];
}

const BOUND_FIELDS = ['f:minReplicas', 'f:maxReplicas'];

function ownsBounds(entry: V1ManagedFieldsEntry): boolean {
  const spec = (entry.fieldsV1 as Record<string, Record<string, unknown>> | undefined)?.['f:spec'];
  return !!spec && BOUND_FIELDS.some((field) => field in spec);
}

export function viewOfHpa(hpa: HpaObject): HpaView {
  return {
    bounds: { minReplicas: hpa.spec?.minReplicas ?? 1, maxReplicas: hpa.spec?.maxReplicas ?? 1 },
    foreignOwners: (hpa.metadata?.managedFields ?? [])
      .filter((entry) => entry.manager !== FIELD_MANAGER && ownsBounds(entry))
      .map((entry) => entry.manager ?? 'unknown'),
  };
}

export function keyOf(object: KubernetesObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

export function parseOriginalBounds(schedule: ScheduleObject): Bounds | null {
  const text = schedule.metadata?.annotations?.[ORIGINAL_BOUNDS_ANNOTATION];
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Bounds>;
    if (Number.isInteger(value.minReplicas) && Number.isInteger(value.maxReplicas)) {
      return { minReplicas: value.minReplicas!, maxReplicas: value.maxReplicas! };
    }
  } catch {
    // An unreadable annotation is treated as absent: the HPA is adopted again.
  }
  return null;
}

export const sameBounds = (a: Bounds | undefined | null, b: Bounds | undefined | null): boolean =>
  !!a && !!b && a.minReplicas === b.minReplicas && a.maxReplicas === b.maxReplicas;
