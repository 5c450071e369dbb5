import { k8s } from 'cdk8s-plus-33';
import type { Resources } from '../services.js';

/**
 * A CPU quantity at `percent` of itself, in millicores rounded down (1m at least): how the
 * `cpuRequestPercent` option shrinks requests for a small node; 100 leaves the quantity as written.
 */
export function scaledCpu(cpu: string, percent: number): string {
  if (percent === 100) return cpu;
  const millis = cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
  return `${Math.max(1, Math.floor((millis * percent) / 100))}m`;
}

/**
 * An HPA's CPU utilization target for requests shrunk to `percent`: the same millicores per pod as
 * `utilization` of the written request, so a small node's pods scale at the load the profile says
 * (70 % of 100m is 70m; of a 25m request that is 280 %). Left relative to the shrunk request, the
 * target fell to idle use (a Node process idles at 10-20m): booking on the two-CPU real node, at
 * 17.5m a pod, never came back down after a load.
 */
export function scaledUtilization(utilization: number, percent: number): number {
  return Math.floor((utilization * 100) / percent);
}

/**
 * A container's requests and limits, ephemeral storage included (every container bounds its disk);
 * the CPU request at `cpuRequestPercent` of the one written (limits stay).
 */
export function resourceRequirements(
  r: Resources,
  cpuRequestPercent = 100,
): k8s.ResourceRequirements {
  const q = (value: string) => k8s.Quantity.fromString(value);
  return {
    requests: {
      cpu: q(scaledCpu(r.requests.cpu, cpuRequestPercent)),
      memory: q(r.requests.memory),
      'ephemeral-storage': q(r.requests.ephemeralStorage),
    },
    limits: {
      cpu: q(r.limits.cpu),
      memory: q(r.limits.memory),
      'ephemeral-storage': q(r.limits.ephemeralStorage),
    },
  };
}
