import { CoreV1Api, type V1Node } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { TestCluster } from '../../src/index.js';

export const fakeNodeAnnotation = 'kwok.x-k8s.io/node';

export function isFakeNode(node: V1Node): boolean {
  return node.metadata?.annotations?.[fakeNodeAnnotation] === 'fake';
}

export async function fakeNodeNames(cluster: TestCluster): Promise<string[]> {
  const nodes = await cluster.kc.makeApiClient(CoreV1Api).listNode();
  return nodes.items.filter(isFakeNode).map((node) => node.metadata!.name!);
}

/**
 * A Deployment of pause containers requesting 100m CPU each. Where the cluster has kwok's fake
 * nodes (label type=kwok, usually tainted on real clusters), the pods are placed on them.
 */
export function pauseDeployment(name: string, replicas: number, onFakeNodes: boolean): string {
  return stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...(onFakeNodes
            ? {
                nodeSelector: { type: 'kwok' },
                tolerations: [
                  { key: fakeNodeAnnotation, operator: 'Exists', effect: 'NoSchedule' },
                ],
              }
            : {}),
          containers: [
            {
              name: 'app',
              image: 'registry.k8s.io/pause:3.10',
              resources: { requests: { cpu: '100m', memory: '32Mi' }, limits: { memory: '32Mi' } },
            },
          ],
        },
      },
    },
  });
}
