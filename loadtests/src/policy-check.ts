/**
 * Did an autoscaled workload scale as its traffic profile's policy says? The profile (cdk8s) gives
 * the targets and the behavior; the live HPA must carry that behavior; the HPA's decisions, replayed
 * from what it measured, must match the policy's step by step within one HPA sync period.
 */
import type { ScalingRules, TrafficProfile } from '@tourkit/cdk8s/profiles';
import { matchSteps, replayHpa, stepsOf, type ReplayPoint, type StepMatch } from './hpa-replay.js';
import type { WorkloadSample } from './samples.js';
import type { Verdict } from './scaling-rules.js';

export interface PolicyCheck {
  readonly targets: Readonly<Record<string, number>>;
  readonly replay: ReplayPoint[];
  readonly matches: StepMatch[];
  readonly verdicts: Verdict[];
}

export function profileTargets(profile: TrafficProfile): Record<string, number> {
  const autoscaling = profile.autoscaling;
  if (!autoscaling) return {};
  return {
    cpu: autoscaling.cpuUtilization,
    ...(autoscaling.memoryUtilization !== undefined
      ? { memory: autoscaling.memoryUtilization }
      : {}),
  };
}

/** An HPA's metric spec as the API returns it (the fields read here). */
export interface LiveMetricSpec {
  type: string;
  resource?: { name: string; target: { type: string; averageUtilization?: number } };
}

/**
 * The utilization targets the live HPA carries: what its controller decides by. They differ from the
 * profile's where the deployment shrank the CPU requests (cpuRequestPercent scales the CPU target to
 * keep the millicores), so the replay uses these when it has them.
 */
export function liveTargets(metrics: readonly LiveMetricSpec[]): Record<string, number> {
  const targets: Record<string, number> = {};
  for (const m of metrics) {
    const utilization = m.resource?.target.averageUtilization;
    if (m.type === 'Resource' && m.resource && utilization !== undefined)
      targets[m.resource.name] = utilization;
  }
  return targets;
}

interface LiveRules {
  stabilizationWindowSeconds?: number;
  policies?: { type?: string; value?: number; periodSeconds?: number }[];
}

function describeRules(rules: LiveRules | ScalingRules | undefined): string {
  if (!rules) return 'Kubernetes defaults';
  const policies = (rules.policies ?? [])
    .map((p) => `${p.value}${p.type === 'Percent' ? ' %' : ' pod(s)'}/${p.periodSeconds} s`)
    .join(' or ');
  return `${policies} after ${rules.stabilizationWindowSeconds ?? '?'} s`;
}

/** The live HPA's behavior against the profile's, direction by direction. */
export function checkBehavior(
  workload: string,
  profile: TrafficProfile,
  live: { scaleUp?: LiveRules; scaleDown?: LiveRules } | undefined,
): Verdict[] {
  const wanted = profile.autoscaling?.behavior;
  if (!wanted) return [];
  return (['scaleUp', 'scaleDown'] as const).map((direction) => {
    const expected = describeRules(wanted[direction]);
    const observed = describeRules(live?.[direction]);
    return {
      workload,
      rule: `${direction} ${expected} (the ${profile.name} profile)`,
      passed: observed === expected,
      observed: `live HPA: ${observed}`,
    };
  });
}

export function checkAgainstPolicy(
  workload: string,
  series: readonly WorkloadSample[],
  profile: TrafficProfile,
  toleranceSeconds: number,
  targets: Readonly<Record<string, number>> = profileTargets(profile),
): PolicyCheck {
  const behavior = profile.autoscaling?.behavior;
  if (!behavior) return { targets, replay: [], matches: [], verdicts: [] };
  const replay = replayHpa(series, { targets, behavior });
  const observed = stepsOf(replay.map((p) => ({ atSeconds: p.atSeconds, value: p.observed })));
  const predicted = stepsOf(replay.map((p) => ({ atSeconds: p.atSeconds, value: p.predicted })));
  const matches = matchSteps(observed, predicted, toleranceSeconds);
  const matched = matches.filter((m) => m.matched).length;
  const ups = observed.filter((s) => s.to > s.from).length;
  const downs = observed.filter((s) => s.to < s.from).length;
  const verdicts: Verdict[] = [
    {
      workload,
      rule: `HPA measured its metrics during the run`,
      passed: replay.length > 0,
      observed: `${replay.length} samples with metrics`,
    },
    {
      workload,
      rule: `each step as the policy predicts, within ${toleranceSeconds} s (an HPA sync and a sample)`,
      passed: replay.length > 0 && matched === matches.length,
      observed: `${matched} of ${matches.length} steps (${ups} up, ${downs} down)`,
    },
  ];
  return { targets, replay, matches, verdicts };
}
