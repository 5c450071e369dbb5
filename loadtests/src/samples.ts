/** Replica counts of the scaled workloads over time, as recorded from the cluster during a run. */

export interface WorkloadSample {
  /** Seconds since recording started. */
  atSeconds: number;
  workload: string;
  /** The HPA's status, or the Deployment's when the workload has no autoscaler. */
  source: 'hpa' | 'deployment';
  currentReplicas: number;
  desiredReplicas: number;
  /** The HPA's bounds at that moment (a ScalingSchedule moves them); absent for a Deployment. */
  minReplicas?: number;
  maxReplicas?: number;
}

interface HpaLike {
  metadata?: { name?: string };
  spec?: { minReplicas?: number; maxReplicas?: number };
  status?: { currentReplicas?: number; desiredReplicas?: number };
}

interface DeploymentLike {
  metadata?: { name?: string };
  spec?: { replicas?: number };
  status?: { readyReplicas?: number; replicas?: number };
}

export function sampleFromHpa(hpa: HpaLike, atSeconds: number): WorkloadSample {
  const workload = hpa.metadata?.name ?? '(unnamed)';
  return {
    atSeconds,
    workload,
    source: 'hpa',
    currentReplicas: hpa.status?.currentReplicas ?? 0,
    desiredReplicas: hpa.status?.desiredReplicas ?? 0,
    // The API defaults minReplicas to 1 when unset.
    minReplicas: hpa.spec?.minReplicas ?? 1,
    ...(hpa.spec?.maxReplicas !== undefined ? { maxReplicas: hpa.spec.maxReplicas } : {}),
  };
}

export function sampleFromDeployment(
  deployment: DeploymentLike,
  atSeconds: number,
): WorkloadSample {
  return {
    atSeconds,
    workload: deployment.metadata?.name ?? '(unnamed)',
    source: 'deployment',
    // Ready replicas are what serves traffic; a pod that is not ready does not count.
    currentReplicas: deployment.status?.readyReplicas ?? 0,
    desiredReplicas: deployment.spec?.replicas ?? 0,
  };
}

export function samplesOf(samples: readonly WorkloadSample[], workload: string): WorkloadSample[] {
  return samples.filter((s) => s.workload === workload).sort((a, b) => a.atSeconds - b.atSeconds);
}
