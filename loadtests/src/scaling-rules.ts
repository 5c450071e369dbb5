/**
 * What the traffic profiles promise about replicas under load, checked against what was recorded.
 * The numbers come from the cdk8s profiles, so a changed profile changes the check with it.
 */
import { PeakTime, ReadHeavy, Steady, type TrafficProfile } from '@tourkit/cdk8s/profiles';
import { samplesOf, type WorkloadSample } from './samples.js';

export interface Verdict {
  workload: string;
  rule: string;
  passed: boolean;
  observed: string;
}

/** The scaled workloads of the platform and the profile each one is deployed with. */
export const PLATFORM_PROFILES: Readonly<Record<string, TrafficProfile>> = {
  booking: PeakTime,
  catalog: ReadHeavy,
  user: Steady,
};

export interface ScalingCheckOptions {
  /**
   * How long replicas may stay under a minimum that was just raised (by a ScalingSchedule window
   * opening): the HPA needs a sync period and the pods a start. Default 60 s.
   */
  graceSeconds?: number;
}

export function checkScaling(
  samples: readonly WorkloadSample[],
  profiles: Readonly<Record<string, TrafficProfile>> = PLATFORM_PROFILES,
  options: ScalingCheckOptions = {},
): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const [workload, profile] of Object.entries(profiles)) {
    const series = samplesOf(samples, workload);
    if (series.length === 0) {
      verdicts.push({
        workload,
        rule: 'observed during the run',
        passed: false,
        observed: 'no sample',
      });
      continue;
    }
    if (profile.autoscaling)
      verdicts.push(...autoscaledRules(workload, profile, series, options.graceSeconds ?? 60));
    else verdicts.push(...fixedRules(workload, profile, series));
  }
  return verdicts;
}

function autoscaledRules(
  workload: string,
  profile: TrafficProfile,
  series: WorkloadSample[],
  graceSeconds: number,
): Verdict[] {
  const { minReplicas, maxReplicas } = profile.autoscaling!;
  const current = series.map((s) => s.currentReplicas);
  const highest = Math.max(...series.map((s) => Math.max(s.currentReplicas, s.desiredReplicas)));
  const lowest = Math.min(...current);
  const verdicts: Verdict[] = [
    {
      workload,
      rule: `autoscaled (HPA present)`,
      passed: series.every((s) => s.source === 'hpa'),
      observed: series.every((s) => s.source === 'hpa') ? 'HPA' : 'no HPA',
    },
    {
      workload,
      rule: `never above max ${maxReplicas}`,
      passed: highest <= maxReplicas,
      observed: `highest ${highest}`,
    },
    {
      workload,
      rule: `never below min ${minReplicas}`,
      passed: lowest >= minReplicas,
      observed: `lowest ${lowest}`,
    },
  ];
  if (profile.name === 'peak-time') {
    const first = current[0]!;
    const peak = Math.max(...current);
    verdicts.push({
      workload,
      rule: 'scaled up under the peak',
      passed: peak > first,
      observed: `${first} → ${peak}`,
    });
    verdicts.push(scheduledMinimum(workload, series, graceSeconds));
  }
  return verdicts;
}

/** Replicas stay at or above the HPA's minimum as it stood at each moment (the ScalingSchedule's). */
function scheduledMinimum(
  workload: string,
  series: WorkloadSample[],
  graceSeconds: number,
): Verdict {
  let minSince = series[0]!.atSeconds;
  let previousMin = series[0]!.minReplicas;
  const breaches: string[] = [];
  for (const sample of series) {
    if (sample.minReplicas !== previousMin) {
      minSince = sample.atSeconds;
      previousMin = sample.minReplicas;
    }
    const min = sample.minReplicas ?? 1;
    if (sample.currentReplicas < min && sample.atSeconds - minSince > graceSeconds) {
      breaches.push(`${sample.currentReplicas} < ${min} at ${sample.atSeconds}s`);
    }
  }
  const mins = [...new Set(series.map((s) => s.minReplicas))].join('→');
  return {
    workload,
    rule: 'never below the scheduled min',
    passed: breaches.length === 0,
    observed: breaches.length === 0 ? `min ${mins} held` : breaches.slice(0, 3).join(', '),
  };
}

function fixedRules(
  workload: string,
  profile: TrafficProfile,
  series: WorkloadSample[],
): Verdict[] {
  const counts = [...new Set(series.map((s) => s.currentReplicas))].sort((a, b) => a - b);
  return [
    {
      workload,
      rule: 'no autoscaler',
      passed: series.every((s) => s.source === 'deployment'),
      observed: series.every((s) => s.source === 'deployment')
        ? 'Deployment only'
        : 'an HPA exists',
    },
    {
      workload,
      rule: `stayed at ${profile.replicas} replicas`,
      passed: series.every(
        (s) => s.currentReplicas === profile.replicas && s.desiredReplicas === profile.replicas,
      ),
      observed: `ready ${counts.join(', ')}`,
    },
  ];
}
