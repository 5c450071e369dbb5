/**
 * Traffic profiles: how a service scales, with the numbers of the course the domain comes from (the
 * table in README.md, "Architecture"). A service's policy is one line: `profile: PeakTime`.
 */

export interface ScalingPolicy {
  /** "Percent" of current replicas or a number of "Pods" per period. */
  readonly type: 'Percent' | 'Pods';
  readonly value: number;
  readonly periodSeconds: number;
}

export interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly policies: readonly ScalingPolicy[];
}

export interface Autoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Average CPU utilization target, % of requests. */
  readonly cpuUtilization: number;
  /** Average memory utilization target, % of requests; none when absent. */
  readonly memoryUtilization?: number;
  /** HPA `behavior`; the Kubernetes defaults when absent. */
  readonly behavior?: { readonly scaleUp: ScalingRules; readonly scaleDown: ScalingRules };
}

export interface TrafficProfile {
  readonly name: 'read-heavy' | 'peak-time' | 'steady' | 'modest';
  /** Fixed replica count when there is no autoscaler; the autoscaler's minimum otherwise. */
  readonly replicas: number;
  readonly autoscaling?: Autoscaling;
}

/** Catalog: browsing dominates, so at least 4 instances behind a cache; HPA on CPU 70 %. */
export const ReadHeavy: TrafficProfile = {
  name: 'read-heavy',
  replicas: 4,
  // The course fixes the floor (4) and the CPU target; the ceiling (10) is ours: 2.5x the floor fits a kind cluster.
  autoscaling: { minReplicas: 4, maxReplicas: 10, cpuUtilization: 70 },
};

/** Booking: peaks on weekdays 09-17 and weekends; the course's HPA verbatim (the ScalingSchedule moves min/max). */
export const PeakTime: TrafficProfile = {
  name: 'peak-time',
  replicas: 2,
  autoscaling: {
    minReplicas: 2,
    maxReplicas: 15,
    cpuUtilization: 70,
    memoryUtilization: 80,
    behavior: {
      scaleUp: {
        stabilizationWindowSeconds: 60,
        policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }],
      },
    },
  },
};

/** User: predictable traffic, 3 fixed instances for availability, no autoscaler. */
export const Steady: TrafficProfile = { name: 'steady', replicas: 3 };

/** Everything else: 2 instances for availability, a modest CPU autoscaler. */
export const Modest: TrafficProfile = {
  name: 'modest',
  replicas: 2,
  autoscaling: { minReplicas: 2, maxReplicas: 5, cpuUtilization: 70 },
};

/** A copy of `profile` with some autoscaler numbers changed (Helm values do the same). */
export function withAutoscaling(
  profile: TrafficProfile,
  overrides: Partial<Autoscaling>,
): TrafficProfile {
  if (!profile.autoscaling)
    throw new Error(`profile ${profile.name} has no autoscaler to override`);
  const autoscaling = { ...profile.autoscaling, ...overrides };
  if (autoscaling.minReplicas < 1) throw new Error('autoscaling.minReplicas must be at least 1');
  if (autoscaling.minReplicas > autoscaling.maxReplicas)
    throw new Error('autoscaling.minReplicas must not exceed autoscaling.maxReplicas');
  return { ...profile, replicas: autoscaling.minReplicas, autoscaling };
}
