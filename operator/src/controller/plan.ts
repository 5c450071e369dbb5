// What one reconcile should do, decided from the schedule, the HPA and the clock alone.
// Pure: the reconciler executes the plan, unit tests read it.
import { describeSource, evaluate, withCalendar } from '../schedule/evaluate.js';
import type { Bounds, Condition, ScalingScheduleStatus } from '../schedule/schema.js';
import { describeErrors, validateCalendarSpec, validateSpec } from '../schedule/validate.js';
import {
  LEGACY_FINALIZER,
  legacyOriginalBounds,
  sameBounds,
  type DeploymentView,
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
  /**
   * One server-side apply to the target HPA: these bounds, and the management record (this
   * schedule's name and the original bounds) in its annotations.
   */
  apply?: { bounds: Bounds; originals: Bounds };
  /** Give the target back (suspend, dryRun): the original bounds, if known, and no record. */
  release?: Release;
  /**
   * A sleep window is in force: scale the HPA's target Deployment to zero, recording on it the
   * replicas it has (the act reads them and fills `status.sleep`). The HPA is not written: the
   * HPA controller leaves a target at zero replicas alone ("ScalingDisabled") until it is woken.
   */
  sleep?: { deployment: string };
  /** The Deployment this schedule put to sleep gets its recorded replicas back. */
  wake?: { deployment: string; replicas: number };
  /** A pre-0.2 finalizer on the schedule, to drop (nothing holds a deletion any more). */
  removeLegacyFinalizer?: boolean;
  status: ScalingScheduleStatus;
  events: PlannedEvent[];
  requeueAt: Date | null;
  /** The boundary this reconcile put into effect (for the transition-lag metric). */
  transitionDueAt?: Date;
  driftCorrected?: boolean;
}

export interface Release {
  /** Bounds to put back; null when no record of them survives (the record alone is removed). */
  bounds: Bounds | null;
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
    ...(hasLegacyFinalizer(schedule) ? { removeLegacyFinalizer: true } : {}),
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

const complete = (b: Partial<Bounds> | undefined): b is Bounds =>
  b?.minReplicas !== undefined && b.maxReplicas !== undefined;

const hasLegacyFinalizer = (schedule: ScheduleObject) =>
  (schedule.metadata?.finalizers ?? []).includes(LEGACY_FINALIZER);

/**
 * @param hpa the target HPA as cached, null when it does not exist
 * @param claimedBy another live schedule recorded on the HPA as its manager, which still targets it
 * @param deployment the HPA's target Deployment as last seen asleep (null: not asleep, as far as
 *   the controller knows)
 * @param calendar the ScalingCalendar of spec.calendarRef as cached, null when it does not exist
 */
export function plan(
  schedule: ScheduleObject,
  hpa: HpaView | null,
  now: Date,
  claimedBy?: string,
  deployment: DeploymentView | null = null,
  calendar: { name: string; spec: unknown } | null = null,
): Plan {
  const validation = validateSpec(schedule.spec);
  if (!validation.ok)
    return degraded(schedule, now, 'InvalidSpec', describeErrors(validation.errors), null);
  let spec = validation.value;
  const namespace = schedule.metadata?.namespace;
  if (spec.calendarRef) {
    // Nothing is applied without the calendar: a holiday missed is a day at the wrong bounds.
    // The calendar informer brings the schedule back when it appears or changes.
    const ref = spec.calendarRef.name;
    if (!calendar || calendar.name !== ref)
      return degraded(
        schedule,
        now,
        'CalendarNotFound',
        `ScalingCalendar ${ref} not found in namespace ${namespace}`,
        null,
      );
    const checked = validateCalendarSpec(calendar.spec);
    if (!checked.ok)
      return degraded(
        schedule,
        now,
        'InvalidCalendar',
        `ScalingCalendar ${ref}: ${describeErrors(checked.errors)}`,
        null,
      );
    spec = withCalendar(spec, { name: ref, spec: checked.value });
  }
  if (!hpa) {
    // Not a failure to retry: the HPA informer brings the schedule back when the HPA appears.
    return degraded(
      schedule,
      now,
      'TargetNotFound',
      `HorizontalPodAutoscaler ${spec.targetRef.name} not found in namespace ${namespace}`,
      new Date(now.getTime() + TARGET_MISSING_RETRY_MS),
    );
  }
  if (claimedBy) {
    return degraded(
      schedule,
      now,
      'TargetClaimed',
      `HorizontalPodAutoscaler ${spec.targetRef.name} is managed by ScalingSchedule ${claimedBy}; one schedule per HPA`,
      null,
    );
  }

  const name = schedule.metadata?.name ?? '';
  const old = schedule.status ?? {};
  const generation = schedule.metadata?.generation;
  const events: PlannedEvent[] = [];
  const managing = !spec.suspend && !spec.dryRun;
  const wasManaging = old.activeSource !== undefined && old.activeSource !== 'suspended';
  const mine = hpa.managedBy === name;

  // The bounds to give back. Ours when the HPA records this schedule; a record left by a schedule
  // that is gone or targets another HPA is taken over as it is (its originals are the true ones,
  // the HPA's current bounds are that schedule's); a pre-0.2 record on the schedule is honoured
  // once; else the HPA's bounds now, at adoption (also on resume: while suspended the HPA
  // belonged to its owners, who may have changed it on purpose).
  let originals: Bounds;
  if (mine && hpa.originals) originals = hpa.originals;
  else if (hpa.managedBy && hpa.originals) {
    originals = hpa.originals;
    if (managing)
      events.push({
        type: 'Normal',
        reason: 'Adopted',
        action: 'Adopt',
        note: `took over from ScalingSchedule ${hpa.managedBy}, which no longer manages it; original bounds ${boundsText(originals)}`,
      });
  } else if (
    wasManaging &&
    old.target === hpa.name &&
    old.targetUID !== undefined &&
    old.targetUID === hpa.uid &&
    old.appliedBounds &&
    complete(old.originalBounds)
  ) {
    // The record was stripped from the HPA: the status still knows what this schedule found.
    originals = old.originalBounds;
  } else if (legacyOriginalBounds(schedule) && old.appliedBounds && old.target === undefined) {
    originals = legacyOriginalBounds(schedule)!;
  } else {
    originals = hpa.bounds;
    if (managing)
      events.push({
        type: 'Normal',
        reason: 'Adopted',
        action: 'Adopt',
        note: `recorded the HPA's original bounds (${boundsText(originals)})`,
      });
  }

  const evaluation = evaluate(spec, now);
  const sleepTarget = hpa.scaleTarget;
  if (managing && evaluation.sleep && sleepTarget?.kind !== 'Deployment') {
    return degraded(
      schedule,
      now,
      'SleepUnsupported',
      `a sleep window scales a Deployment to zero; HorizontalPodAutoscaler ${hpa.name} scales ${sleepTarget ? `a ${sleepTarget.kind}` : 'nothing'}`,
      evaluation.nextTransition,
    );
  }
  const sleeping = managing && !!evaluation.sleep;
  // Asleep by this schedule's hand: the record on the Deployment names it.
  const asleep = deployment?.sleep?.schedule === name ? deployment : null;
  // While asleep the HPA keeps the bounds it has: nothing it decides reaches a target at zero.
  const scheduled: Bounds = sleeping
    ? hpa.bounds
    : { minReplicas: evaluation.minReplicas, maxReplicas: evaluation.maxReplicas };
  const label = describeSource(evaluation);
  const plan: Plan = { status: {}, events, requeueAt: evaluation.nextTransition };
  if (hasLegacyFinalizer(schedule)) plan.removeLegacyFinalizer = true;

  let applied = old.appliedBounds;
  let driftMessage: string | undefined;
  const drifted = old.conditions?.find((c) => c.type === 'Drifted');
  let activeWindow: string;
  let lastTransitionTime = old.lastTransitionTime;
  let hpaAfter = hpa.bounds;

  if (managing) {
    activeWindow = label;
    const transition =
      wasManaging && (old.activeWindow !== label || !sameBounds(old.desiredBounds, scheduled));
    const recordOk = mine && sameBounds(hpa.originals, originals);
    if (!sameBounds(hpa.bounds, scheduled) || !recordOk) {
      plan.apply = { bounds: scheduled, originals };
      hpaAfter = scheduled;
      if (
        mine &&
        wasManaging &&
        !transition &&
        sameBounds(old.appliedBounds, scheduled) &&
        !sameBounds(hpa.bounds, scheduled)
      ) {
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
      // One Event per first reconcile: an adoption says what it recorded and what it applied
      // (a cold start of N schedules sends N Events, not 2N).
      const adopted = events.findIndex((e) => e.reason === 'Adopted');
      const note = `${label}: ${boundsText(scheduled)}`;
      if (adopted >= 0) events[adopted]!.note += `; ${note}`;
      else events.push({ type: 'Normal', reason: 'Scheduled', action: 'Scale', note });
    }
    applied = scheduled;
  } else {
    activeWindow = spec.suspend ? 'suspended' : `dry-run: ${label}`;
    // Give the HPA back once, on the way out; afterwards its owners may change it freely.
    if (mine) {
      plan.release = { bounds: originals };
      hpaAfter = originals;
      events.push({
        type: 'Normal',
        reason: 'Restored',
        action: 'Restore',
        note: `${spec.suspend ? 'suspended' : 'dry run'}: restored the original bounds (${boundsText(originals)})`,
      });
    }
    applied = undefined; // the schedule sets nothing on the HPA now
    if (spec.suspend) plan.requeueAt = null;
  }

  let sleepStatus = old.sleep;
  if (sleeping && sleepTarget) {
    if (!asleep || asleep.replicas !== 0) plan.sleep = { deployment: sleepTarget.name };
    // Filled by the act from the record it writes; kept from the last write or the record until then.
    sleepStatus = asleep?.sleep
      ? {
          deployment: asleep.name,
          replicasBefore: asleep.sleep.replicas,
          since: asleep.sleep.since,
        }
      : old.sleep?.deployment === sleepTarget.name
        ? old.sleep
        : undefined;
    const note = `Deployment ${sleepTarget.name} scaled to 0`;
    if (asleep && asleep.replicas !== 0)
      events.push({
        type: 'Warning',
        reason: 'Drifted',
        action: 'Correct',
        note: `Deployment ${asleep.name} was scaled to ${asleep.replicas} during the sleep window; ${note} again`,
      });
    else if (!asleep) appendToLast(events, note, 'Sleep');
  } else {
    sleepStatus = undefined;
    if (asleep?.sleep) {
      plan.wake = { deployment: asleep.name, replicas: asleep.sleep.replicas };
      appendToLast(
        events,
        `Deployment ${asleep.name} woken: ${asleep.sleep.replicas} replicas`,
        'Wake',
      );
    }
  }

  const driftedCondition: ConditionInput = driftMessage
    ? cond('Drifted', true, 'ForeignEdit', driftMessage)
    : drifted?.status === 'True' && lastTransitionTime === old.lastTransitionTime
      ? { type: 'Drifted', status: 'True', reason: drifted.reason, message: drifted.message }
      : cond('Drifted', false, 'NoDrift', 'no foreign edit seen since the last transition');

  const readyReason = managing ? 'Scheduled' : spec.suspend ? 'Suspended' : 'DryRun';
  const readyMessage = managing
    ? `${label}: ${boundsText(scheduled)}`
    : spec.suspend
      ? 'suspended: the HPA keeps its original bounds'
      : `dry run: would apply ${boundsText(scheduled)} (${label})`;
  const inSync = managing ? sameBounds(hpaAfter, scheduled) : true;
  plan.status = {
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    target: hpa.name,
    ...(hpa.uid ? { targetUID: hpa.uid } : {}),
    activeWindow,
    activeSource: managing ? evaluation.active.kind : 'suspended',
    desiredBounds: scheduled,
    ...(applied ? { appliedBounds: applied } : {}),
    originalBounds: originals,
    ...(plan.requeueAt ? { nextTransition: plan.requeueAt.toISOString() } : {}),
    ...(lastTransitionTime ? { lastTransitionTime } : {}),
    ...(sleepStatus ? { sleep: sleepStatus } : {}),
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

/** Adds to the transition's Event (one Event per transition), or makes its own. */
function appendToLast(events: PlannedEvent[], note: string, reason: string): void {
  const last = events.findLast((e) => e.type === 'Normal');
  if (last) last.note += `; ${note}`;
  else events.push({ type: 'Normal', reason, action: reason, note });
}

/**
 * An HPA recorded as managed by a schedule that is gone, or that now targets another HPA: give it
 * back. Null when the HPA carries no record (nothing of ours to undo).
 */
export function planRelease(hpa: HpaView): Release | null {
  if (!hpa.managedBy) return null;
  return { bounds: hpa.originals };
}
