import { k8s } from 'cdk8s-plus-33';
import type { Resources } from '../services.js';

/** A container's requests and limits, ephemeral storage included (every container bounds its disk). */
export function resourceRequirements(r: Resources): k8s.ResourceRequirements {
  const q = (value: string) => k8s.Quantity.fromString(value);
  return {
    requests: {
      cpu: q(r.requests.cpu),
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
