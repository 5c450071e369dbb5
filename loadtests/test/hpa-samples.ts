/** Booking's HPA as the recorder samples it, for the replay and report tests. */
import type { WorkloadSample } from '../src/samples.js';

/** One sample: `current` pods, all ready, measuring `cpu` % and deciding `desired`, bounds 2–15. */
export function hpaSample(
  at: number,
  current: number,
  cpu: number,
  desired: number,
  extra: Partial<WorkloadSample> = {},
): WorkloadSample {
  return {
    atSeconds: at,
    workload: 'booking',
    source: 'hpa',
    currentReplicas: current,
    readyReplicas: current,
    desiredReplicas: desired,
    minReplicas: 2,
    maxReplicas: 15,
    metrics: [{ name: 'cpu', utilization: cpu }],
    ...extra,
  };
}
