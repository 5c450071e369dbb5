// What one reconcile should do, decided from the schedule, the HPA and the clock alone.
// Pure: the reconciler executes the plan, unit tests read it.
import { describeSource, evaluate } from '../schedule/evaluate.js';
import type { Bounds, Condition, ScalingScheduleStatus } from '../schedule/schema.js';
import { describeErrors, validateSpec } from '../schedule/validate.js';
import {
  FINALIZER,
  ORIGINAL_BOUNDS_ANNOTATION,
  parseOriginalBounds,
  sameBounds,
  type HpaView,
  type ScheduleObject,
} from './resource.js';

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  action: string;
  note: string;
}

export interface Plan {
  /** Finalizer and original-bounds annotation to write before touching the HPA. */
  metadata?: { finalizers: string[]; annotations: Record<string, string> };
  /** Server-side apply of these bounds to the HPA. */
  applyBounds?: Bounds;
  /** Give the HPA back its original bounds (suspend, dryRun). */
  restoreBounds?: Bounds;
  status: ScalingScheduleStatus;
  events: PlannedEvent[];
  requeueAt: Date | null;
  /** The boundary this reconcile put into effect (for the transition-lag metric). */
  transitionDueAt?: Date;
  driftCorrected?: boolean;
}

const TARGET_MISSING_RETRY_MS = 60_000;

type ConditionInput = Omit<Condition, 'lastTransitionTime' | 'observedGeneration'>;

function conditions(
  previous: Condition[] | undefined,
  generation: number | undefined,
  now: Date,
  next: ConditionInput[],
): Condition[] {
  return next.map((condition) => {
    const before = previous?.find((c) => c.type === condition.type);
    return {
      ...condition,
      lastTransitionTime:
        before && before.status === condition.status
          ? before.lastTransitionTime
          : now.toISOString(),
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
    };
  });
}

const cond = (type: string, status: boolean, reason: string, message: string): ConditionInput => ({
  type,
  status: status ? 'True' : 'False',
  reason,
  message,
});

const boundsText = (b: Bounds) => `min ${b.minReplicas}, max ${b.maxReplicas}`;

function degraded(
  schedule: ScheduleObject,
  now: Date,
  reason: string,
  message: string,
  requeueAt: Date | null,
): Plan {
  const old = schedule.status ?? {};
  const wasDegraded = old.conditions?.find((c) => c.type === 'Degraded');
  const events: PlannedEvent[] =
    wasDegraded?.status === 'True' && wasDegraded.reason === reason
      ? []
      : [{ type: 'Warning', reason, action: 'Reconcile', note: message }];
  const generation = schedule.metadata?.generation;
  return {
    status: {
      ...old,
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
      conditions: conditions(old.conditions, generation, now, [
        cond('Ready', false, reason, message),
        cond('HPAInSync', false, reason, 'bounds not applied'),
        cond('Drifted', false, 'NoDrift', 'no foreign edit seen'),
        cond('Degraded', true, reason, message),
      ]),
    },
    events,
    requeueAt,
  };
}

export function plan(schedule: ScheduleObject, hpa: HpaView | null, now: Date): Plan {
  const validation = validateSpec(schedule.spec);
  if (!validation.ok)
    return degraded(schedule, now, 'InvalidSpec', describeErrors(validation.errors), null);
  const spec = validation.value;
  if (!hpa) {
    return degraded(
      schedule,
      now,
      'TargetNotFound',
      `HorizontalPodAutoscaler ${spec.targetRef.name} not found in namespace ${schedule.metadata?.namespace}`,
      new Date(now.getTime() + TARGET_MISSING_RETRY_MS),
    );
  }

  const old = schedule.status ?? {};
  const generation = schedule.metadata?.generation;
  const events: PlannedEvent[] = [];
  const managing = !spec.suspend && !spec.dryRun;
  const wasManaging = old.activeSource !== undefined && old.activeSource !== 'suspended';
  const finalizers = schedule.metadata?.finalizers ?? [];

  // Adoption: remember the HPA's own bounds before the first change, and again when resuming
  // (while suspended the HPA belonged to its owners, who may have changed it on purpose).
  let originals = parseOriginalBounds(schedule);
  let metadata: Plan['metadata'];
  const resuming = managing && old.activeSource === 'suspended';
  if (!originals || resuming || !finalizers.includes(FINALIZER)) {
    if (!originals || resuming) {
      originals = hpa.bounds;
      events.push({
        type: 'Normal',
        reason: 'Adopted',
        action: 'Adopt',
        note: `recorded the HPA's original bounds (${boundsText(originals)})`,
      });
    }
    metadata = {
      finalizers: finalizers.includes(FINALIZER) ? finalizers : [...finalizers, FINALIZER],
      annotations: { [ORIGINAL_BOUNDS_ANNOTATION]: JSON.stringify(originals) },
    };
  }

  const evaluation = evaluate(spec, now);
  const scheduled: Bounds = {
    minReplicas: evaluation.minReplicas,
    maxReplicas: evaluation.maxReplicas,
  };
  const label = describeSource(evaluation);
  const plan: Plan = { status: {}, events, requeueAt: evaluation.nextTransition };
  if (metadata) plan.metadata = metadata;

  let applied = old.appliedBounds;
  let driftMessage: string | undefined;
  let drifted = old.conditions?.find((c) => c.type === 'Drifted');
  let activeWindow: string;
  let lastTransitionTime = old.lastTransitionTime;

  if (managing) {
    activeWindow = label;
    const transition =
      wasManaging && (old.activeWindow !== label || !sameBounds(old.desiredBounds, scheduled));
    if (!sameBounds(hpa.bounds, scheduled)) {
      plan.applyBounds = scheduled;
      if (wasManaging && !transition && sameBounds(old.appliedBounds, scheduled)) {
        const by = hpa.foreignOwners.length > 0 ? hpa.foreignOwners.join(', ') : 'another client';
        driftMessage = `${by} set ${boundsText(hpa.bounds)}; the schedule wants ${boundsText(scheduled)}; corrected at ${now.toISOString()}`;
        plan.driftCorrected = true;
        events.push({ type: 'Warning', reason: 'Drifted', action: 'Correct', note: driftMessage });
      }
    }
    if (transition) {
      lastTransitionTime = now.toISOString();
      if (old.nextTransition && Date.parse(old.nextTransition) <= now.getTime()) {
        plan.transitionDueAt = new Date(old.nextTransition);
      }
      events.push({
        type: 'Normal',
        reason: 'Transition',
        action: 'Scale',
        note: `${old.activeWindow ?? '?'} → ${label}: ${old.desiredBounds ? boundsText(old.desiredBounds) : '?'} → ${boundsText(scheduled)}`,
      });
    } else if (!wasManaging) {
      lastTransitionTime = now.toISOString();
      events.push({
        type: 'Normal',
        reason: 'Scheduled',
        action: 'Scale',
        note: `${label}: ${boundsText(scheduled)}`,
      });
    }
    applied = scheduled;
  } else {
    activeWindow = spec.suspend ? 'suspended' : `dry-run: ${label}`;
    // Give the HPA back once, on the way out; afterwards its owners may change it freely.
    if (wasManaging && old.appliedBounds && !sameBounds(hpa.bounds, originals)) {
      plan.restoreBounds = originals;
      applied = originals;
      events.push({
        type: 'Normal',
        reason: 'Restored',
        action: 'Restore',
        note: `${spec.suspend ? 'suspended' : 'dry run'}: restored the original bounds (${boundsText(originals)})`,
      });
    }
    if (spec.suspend) plan.requeueAt = null;
  }

  const hpaAfter = plan.applyBounds ?? plan.restoreBounds ?? hpa.bounds;
  const driftedCondition: ConditionInput = driftMessage
    ? cond('Drifted', true, 'ForeignEdit', driftMessage)
    : drifted?.status === 'True' && lastTransitionTime === old.lastTransitionTime
      ? { type: 'Drifted', status: 'True', reason: drifted.reason, message: drifted.message }
      : cond('Drifted', false, 'NoDrift', 'no foreign edit seen since the last transition');
  drifted = undefined;

  const readyReason = managing ? 'Scheduled' : spec.suspend ? 'Suspended' : 'DryRun';
  const readyMessage = managing
    ? `${label}: ${boundsText(scheduled)}`
    : spec.suspend
      ? 'suspended: the HPA keeps its original bounds'
      : `dry run: would apply ${boundsText(scheduled)} (${label})`;
  const inSync = managing ? sameBounds(hpaAfter, scheduled) : true;
  plan.status = {
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    activeWindow,
    activeSource: managing ? evaluation.active.kind : 'suspended',
    desiredBounds: scheduled,
    ...(applied ? { appliedBounds: applied } : {}),
    originalBounds: originals,
    ...(plan.requeueAt ? { nextTransition: plan.requeueAt.toISOString() } : {}),
    ...(lastTransitionTime ? { lastTransitionTime } : {}),
    conditions: conditions(old.conditions, generation, now, [
      cond('Ready', true, readyReason, readyMessage),
      managing
        ? cond(
            'HPAInSync',
            inSync,
            inSync ? 'BoundsApplied' : 'Pending',
            `HPA at ${boundsText(hpaAfter)}`,
          )
        : cond('HPAInSync', true, readyReason, 'the schedule does not manage the HPA now'),
      driftedCondition,
      cond('Degraded', false, 'AsExpected', 'no problem'),
    ]),
  };
  return plan;
}

/** Deletion: give the original bounds back if this controller changed them. */
export function planDeletion(
  schedule: ScheduleObject,
  hpa: HpaView | null,
): { restoreBounds?: Bounds; removeFinalizer: boolean } {
  const finalizers = schedule.metadata?.finalizers ?? [];
  if (!finalizers.includes(FINALIZER)) return { removeFinalizer: false };
  const originals = parseOriginalBounds(schedule) ?? schedule.status?.originalBounds;
  const touched = schedule.status?.appliedBounds !== undefined;
  if (
    hpa &&
    touched &&
    originals?.minReplicas !== undefined &&
    !sameBounds(hpa.bounds, originals as Bounds)
  ) {
    return { restoreBounds: originals as Bounds, removeFinalizer: true };
  }
  return { removeFinalizer: true };
}
