/**
 * What an HPA's policy says it should have done, replayed from what it saw. For each recorded sample
 * of an HPA's status (the utilization it measured, its current and ready replicas, its bounds at that
 * moment), this computes the replicas the Kubernetes HPA algorithm decides with the given targets
 * and `behavior` (stabilization windows, rate policies), step by step, keeping the controller's state
 * (past recommendations, past scale events) as it goes. Comparing the predicted timeline with the
 * observed one says whether the cluster scaled as the profile's policy promises.
 *
 * The algorithm is the one of kube-controller-manager's podautoscaler (horizontal.go:
 * stabilizeRecommendationWithBehaviors, convertDesiredReplicasWithBehaviorRate; replica_calculator.go:
 * GetResourceReplicas). Two inputs are approximated from what the API shows: the pods the controller
 * counted as ready (the Deployment's ready replicas) and the moments it synced (the samples).
 */
import type { ScalingRules } from '@tourkit/cdk8s/profiles';
import type { WorkloadSample } from './samples.js';

export interface ReplayPolicy {
  /** Target average utilization per resource, % of requests: `{ cpu: 70, memory: 80 }`. */
  readonly targets: Readonly<Record<string, number>>;
  readonly behavior: { readonly scaleUp: ScalingRules; readonly scaleDown: ScalingRules };
  /** kube-controller-manager's --horizontal-pod-autoscaler-tolerance (default 0.1). */
  readonly tolerance?: number;
}

export interface ReplayPoint {
  readonly atSeconds: number;
  /** The HPA's own decision (status.desiredReplicas). */
  readonly observed: number;
  /** The policy's decision from the same inputs. */
  readonly predicted: number;
  /** Before stabilization and rate limits: what the metrics alone ask for. */
  readonly recommendation: number;
  /** Why `predicted` differs from `recommendation` (a window, a rate, a bound), or "metrics". */
  readonly reason: string;
}

interface Timed {
  readonly at: number;
  readonly value: number;
}

/** Replicas one resource metric asks for: ceil(usage ratio × ready pods), unless within tolerance. */
export function replicasForUtilization(
  utilization: number,
  target: number,
  currentReplicas: number,
  readyReplicas: number,
  tolerance: number,
): number {
  const ratio = utilization / target;
  const unready = Math.max(0, currentReplicas - readyReplicas);
  if (unready === 0 || ratio <= 1) {
    if (Math.abs(1 - ratio) <= tolerance) return currentReplicas;
    return Math.ceil(ratio * readyReplicas);
  }
  // Scaling up with pods not ready yet: the controller counts them at zero usage, so a pod that is
  // still starting damps the next step instead of doubling it (replica_calculator.go).
  const newRatio = (ratio * readyReplicas) / currentReplicas;
  if (Math.abs(1 - newRatio) <= tolerance || newRatio < 1) return currentReplicas;
  const replicas = Math.ceil(newRatio * currentReplicas);
  return replicas < currentReplicas ? currentReplicas : replicas;
}

function changeInPeriod(events: readonly Timed[], now: number, periodSeconds: number): number {
  return events.filter((e) => e.at > now - periodSeconds).reduce((sum, e) => sum + e.value, 0);
}

/** The count a policy's period started from: now's, less what was added and plus what was removed since. */
function periodStartReplicas(
  current: number,
  ups: readonly Timed[],
  downs: readonly Timed[],
  periodSeconds: number,
  now: number,
): number {
  return (
    current - changeInPeriod(ups, now, periodSeconds) + changeInPeriod(downs, now, periodSeconds)
  );
}

/** The most replicas `rules` let the HPA reach now (selectPolicy Max: the most generous policy). */
export function scaleUpLimit(
  current: number,
  ups: readonly Timed[],
  downs: readonly Timed[],
  rules: ScalingRules,
  now: number,
): number {
  let limit = -Infinity;
  for (const policy of rules.policies) {
    const start = periodStartReplicas(current, ups, downs, policy.periodSeconds, now);
    const proposed =
      policy.type === 'Pods' ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
    limit = Math.max(limit, proposed);
  }
  return Math.max(limit, current);
}

/** The fewest replicas `rules` let the HPA go down to now (selectPolicy Max: the biggest step). */
export function scaleDownLimit(
  current: number,
  ups: readonly Timed[],
  downs: readonly Timed[],
  rules: ScalingRules,
  now: number,
): number {
  let limit = Infinity;
  for (const policy of rules.policies) {
    const start = periodStartReplicas(current, ups, downs, policy.periodSeconds, now);
    const proposed =
      policy.type === 'Pods' ? start - policy.value : Math.trunc(start * (1 - policy.value / 100));
    limit = Math.min(limit, proposed);
  }
  return Math.min(limit, current);
}

/**
 * Replays one HPA's recorded samples (all of one workload, in time order, with metrics) through the
 * policy. Scale events are the HPA's own (each new `lastScaleTime`), so every step is judged from
 * the state the real controller was in.
 */
export function replayHpa(series: readonly WorkloadSample[], policy: ReplayPolicy): ReplayPoint[] {
  const tolerance = policy.tolerance ?? 0.1;
  const { scaleUp, scaleDown } = policy.behavior;
  const recommendations: Timed[] = [];
  const ups: Timed[] = [];
  const downs: Timed[] = [];
  const points: ReplayPoint[] = [];
  let lastScale: string | undefined;
  for (const sample of series) {
    if (sample.source !== 'hpa' || !sample.metrics || sample.metrics.length === 0) continue;
    const now = sample.atSeconds;
    const current = sample.currentReplicas;
    const ready = sample.readyReplicas ?? current;
    const min = sample.minReplicas ?? 1;
    const max = sample.maxReplicas ?? Infinity;

    let recommendation = 0;
    for (const metric of sample.metrics) {
      const target = policy.targets[metric.name];
      if (target === undefined) continue;
      recommendation = Math.max(
        recommendation,
        replicasForUtilization(metric.utilization, target, current, ready, tolerance),
      );
    }

    let predicted: number;
    let reason = 'metrics';
    if (current === 0 && min !== 0) {
      predicted = 0;
      reason = 'scaling disabled (target at zero)';
    } else if (current > max) {
      predicted = max;
      reason = `above max ${max}`;
    } else if (current < min) {
      predicted = min;
      reason = `below min ${min}`;
    } else {
      // Stabilization: up to the lowest recommendation of the up window, down to the highest of the
      // down window; the current count in between stays.
      let upFloor = recommendation;
      let downCeiling = recommendation;
      for (const r of recommendations) {
        if (r.at > now - scaleUp.stabilizationWindowSeconds) upFloor = Math.min(upFloor, r.value);
        if (r.at > now - scaleDown.stabilizationWindowSeconds)
          downCeiling = Math.max(downCeiling, r.value);
      }
      recommendations.push({ at: now, value: recommendation });
      let stabilized = current;
      if (stabilized < upFloor) stabilized = upFloor;
      if (stabilized > downCeiling) stabilized = downCeiling;
      if (stabilized !== recommendation) reason = 'stabilization window';

      predicted = stabilized;
      if (stabilized > current) {
        const limit = Math.min(max, scaleUpLimit(current, ups, downs, scaleUp, now));
        if (limit < stabilized) reason = limit === max ? `max ${max}` : 'scale-up rate policy';
        predicted = Math.min(stabilized, limit);
      } else if (stabilized < current) {
        const limit = Math.max(min, scaleDownLimit(current, ups, downs, scaleDown, now));
        if (limit > stabilized) reason = limit === min ? `min ${min}` : 'scale-down rate policy';
        predicted = Math.max(stabilized, limit);
      }
    }
    points.push({
      atSeconds: now,
      observed: sample.desiredReplicas,
      predicted,
      recommendation,
      reason,
    });

    // The HPA's own rescale, once per lastScaleTime: the rate policies count it from then on.
    if (sample.lastScaleTime && sample.lastScaleTime !== lastScale) {
      if (lastScale !== undefined && sample.desiredReplicas !== current) {
        const change = { at: now, value: Math.abs(sample.desiredReplicas - current) };
        (sample.desiredReplicas > current ? ups : downs).push(change);
      }
      lastScale = sample.lastScaleTime;
    }
  }
  return points;
}

export interface Step {
  readonly atSeconds: number;
  readonly from: number;
  readonly to: number;
}

/** Where a timeline changes value. */
export function stepsOf(points: readonly { atSeconds: number; value: number }[]): Step[] {
  const steps: Step[] = [];
  for (let i = 1; i < points.length; i++) {
    const previous = points[i - 1]!;
    const point = points[i]!;
    if (point.value !== previous.value)
      steps.push({ atSeconds: point.atSeconds, from: previous.value, to: point.value });
  }
  return steps;
}

export interface StepMatch {
  readonly to: number;
  readonly observedAt?: number;
  readonly predictedAt?: number;
  /** observedAt − predictedAt: positive when the cluster was later than the policy. */
  readonly lagSeconds?: number;
  readonly matched: boolean;
}

/**
 * Pairs each observed step with a predicted step to the same count within `toleranceSeconds` (one
 * HPA sync period and one sampling interval): a step without a partner on the other side is a mismatch.
 */
export function matchSteps(
  observed: readonly Step[],
  predicted: readonly Step[],
  toleranceSeconds: number,
): StepMatch[] {
  const used = new Set<number>();
  const matches: StepMatch[] = [];
  for (const step of observed) {
    let best: number | undefined;
    for (let i = 0; i < predicted.length; i++) {
      const candidate = predicted[i]!;
      if (used.has(i) || candidate.to !== step.to) continue;
      const lag = Math.abs(step.atSeconds - candidate.atSeconds);
      if (lag > toleranceSeconds) continue;
      if (best === undefined || lag < Math.abs(step.atSeconds - predicted[best]!.atSeconds))
        best = i;
    }
    if (best === undefined) {
      matches.push({ to: step.to, observedAt: step.atSeconds, matched: false });
      continue;
    }
    used.add(best);
    const predictedAt = predicted[best]!.atSeconds;
    matches.push({
      to: step.to,
      observedAt: step.atSeconds,
      predictedAt,
      lagSeconds: step.atSeconds - predictedAt,
      matched: true,
    });
  }
  predicted.forEach((step, i) => {
    if (!used.has(i)) matches.push({ to: step.to, predictedAt: step.atSeconds, matched: false });
  });
  return matches.sort(
    (a, b) => (a.observedAt ?? a.predictedAt ?? 0) - (b.observedAt ?? b.predictedAt ?? 0),
  );
}
