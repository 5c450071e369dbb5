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
  /** The Deployment's ready pods (the HPA counts only those as measured). */
  readyReplicas?: number;
  /** What the HPA measured at its last sync, one entry per resource metric. */
  metrics?: ResourceMetricSample[];
  /** The HPA's last rescale (status.lastScaleTime, RFC 3339). */
  lastScaleTime?: string;
}

export interface ResourceMetricSample {
  /** The resource: `cpu`, `memory`. */
  name: string;
  /** Average utilization over the measured pods, % of their requests. */
  utilization: number;
  /** Average usage per pod as the API gives it (`123m`, `200Mi`). */
  averageValue?: string;
}

interface HpaLike {
  metadata?: { name?: string };
  spec?: { minReplicas?: number; maxReplicas?: number };
  status?: {
    currentReplicas?: number;
    desiredReplicas?: number;
    lastScaleTime?: Date | string;
    currentMetrics?: {
      type?: string;
      resource?: {
        name?: string;
        current?: { averageUtilization?: number; averageValue?: unknown };
      };
    }[];
  };
}

interface DeploymentLike {
  metadata?: { name?: string };
  spec?: { replicas?: number };
  status?: { readyReplicas?: number; replicas?: number };
}

export function sampleFromHpa(hpa: HpaLike, atSeconds: number): WorkloadSample {
  const workload = hpa.metadata?.name ?? '(unnamed)';
  const metrics = resourceMetrics(hpa);
  const scaled = hpa.status?.lastScaleTime;
  const lastScaleTime = scaled instanceof Date ? scaled.toISOString() : scaled;
  return {
    atSeconds,
    workload,
    source: 'hpa',
    currentReplicas: hpa.status?.currentReplicas ?? 0,
    desiredReplicas: hpa.status?.desiredReplicas ?? 0,
    // The API defaults minReplicas to 1 when unset.
    minReplicas: hpa.spec?.minReplicas ?? 1,
    ...(hpa.spec?.maxReplicas !== undefined ? { maxReplicas: hpa.spec.maxReplicas } : {}),
    ...(metrics.length > 0 ? { metrics } : {}),
    ...(lastScaleTime ? { lastScaleTime } : {}),
  };
}

/** The resource metrics an HPA measured (utilization targets only: those the replay can judge). */
function resourceMetrics(hpa: HpaLike): ResourceMetricSample[] {
  const metrics: ResourceMetricSample[] = [];
  for (const m of hpa.status?.currentMetrics ?? []) {
    const utilization = m.resource?.current?.averageUtilization;
    if (m.type !== 'Resource' || !m.resource?.name || utilization === undefined) continue;
    const value = m.resource.current?.averageValue;
    metrics.push({
      name: m.resource.name,
      utilization,
      ...(value !== undefined ? { averageValue: String(value) } : {}),
    });
  }
  return metrics;
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
