import { CoreV1Api } from '@kubernetes/client-node';
import type { TestCluster } from './cluster.js';
import { testNamespaceName } from './names.js';
import { removeSimulatedUsage, setSimulatedUsage, simulatedUsageAvailable } from './usage.js';
import { waitFor } from './wait.js';

export const testNamespaceLabel = 'tourkit.dev/test';

export interface TestNamespace {
  readonly name: string;
  /** Deletes the namespace (in the background) and its simulated usage. */
  cleanup(): Promise<void>;
}

/**
 * A namespace of the test's own, labelled `tourkit.dev/test=true` (and its prefix), ready for
 * pods (its default ServiceAccount exists). Where kwok simulates usage, its pods start at an
 * idle usage that `setSimulatedUsage` changes. `cleanup()` deletes the namespace and that usage.
 */
export async function createTestNamespace(
  cluster: TestCluster,
  prefix: string,
): Promise<TestNamespace> {
  const core = cluster.kc.makeApiClient(CoreV1Api);
  const name = testNamespaceName(prefix);
  await core.createNamespace({
    body: {
      metadata: {
        name,
        labels: {
          [testNamespaceLabel]: 'true',
          'tourkit.dev/test-prefix': name.slice(0, name.lastIndexOf('-')),
        },
      },
    },
  });
  const simulated = await simulatedUsageAvailable(cluster);
  if (simulated) await setSimulatedUsage(cluster, name, { cpu: '1m', memory: '16Mi' });
  await waitFor(`the default ServiceAccount of namespace ${name}`, async () =>
    core.readNamespacedServiceAccount({ name: 'default', namespace: name }),
  );
  return {
    name,
    async cleanup() {
      if (simulated) await removeSimulatedUsage(cluster, name);
      try {
        await core.deleteNamespace({ name, propagationPolicy: 'Background' });
      } catch (error) {
        if ((error as { code?: number }).code !== 404) throw error;
      }
    },
  };
}
