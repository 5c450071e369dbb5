import { ApisApi, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type { TestCluster } from './cluster.js';

/** Simulated resource usage of every container of a namespace's pods (kwok ClusterResourceUsage). */
export interface SimulatedUsage {
  /** CPU per container, a Kubernetes quantity such as "250m". */
  cpu: string;
  /** Memory working set per container, a quantity such as "64Mi". */
  memory?: string;
}

const fieldManager = 'tourkit-testenv';
const quantityPattern = /^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|e[0-9]+)?$/;

/**
 * kwok's CEL expression for one resource: the pod's own `kwok.x-k8s.io/usage-<resource>`
 * annotation when it has one, else the namespace-wide value.
 */
export function usageExpression(resource: 'cpu' | 'memory', fallback: string): string {
  if (!quantityPattern.test(fallback)) {
    throw new Error(
      `simulated ${resource} usage "${fallback}" is not a Kubernetes quantity (e.g. 250m, 64Mi)`,
    );
  }
  const annotation = `kwok.x-k8s.io/usage-${resource}`;
  return (
    `"${annotation}" in pod.metadata.annotations` +
    ` ? Quantity(pod.metadata.annotations["${annotation}"]) : Quantity("${fallback}")`
  );
}

export function clusterResourceUsageFor(namespace: string, usage: SimulatedUsage) {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterResourceUsage',
    metadata: { name: usageObjectName(namespace), labels: { 'tourkit.dev/test': 'true' } },
    spec: {
      selector: { matchNamespaces: [namespace] },
      usages: [
        {
          usage: {
            cpu: { expression: usageExpression('cpu', usage.cpu) },
            memory: { expression: usageExpression('memory', usage.memory ?? '16Mi') },
          },
        },
      ],
    },
  };
}

function usageObjectName(namespace: string): string {
  return `tourkit-test-${namespace}`;
}

/** Whether the cluster runs kwok with simulated usage (the local control plane does). */
export async function simulatedUsageAvailable(cluster: TestCluster): Promise<boolean> {
  const groups = await cluster.kc.makeApiClient(ApisApi).getAPIVersions();
  return groups.groups.some((group) => group.name === 'kwok.x-k8s.io');
}

/**
 * Sets the usage kwok reports for every pod of `namespace` (through metrics-server, this is what
 * an HPA sees). Pods annotated with `kwok.x-k8s.io/usage-cpu` / `-memory` keep their own value.
 */
export async function setSimulatedUsage(
  cluster: TestCluster,
  namespace: string,
  usage: SimulatedUsage,
): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(cluster.kc);
  await client.patch(
    clusterResourceUsageFor(namespace, usage),
    undefined,
    undefined,
    fieldManager,
    true,
    PatchStrategy.ServerSideApply,
  );
}

export async function removeSimulatedUsage(cluster: TestCluster, namespace: string): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(cluster.kc);
  try {
    await client.delete({
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'ClusterResourceUsage',
      metadata: { name: usageObjectName(namespace) },
    });
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
  }
}
