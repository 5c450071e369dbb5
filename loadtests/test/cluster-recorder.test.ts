// The recorder against a real API server (KUBECONFIG, else the local control plane): it reads an
// HPA's bounds and replicas and, for a workload without an HPA, its Deployment.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import {
  createTestNamespace,
  getTestCluster,
  kubectlOrThrow,
  waitFor,
  type TestCluster,
  type TestNamespace,
} from '@tourkit/testenv';
import { sampleOnce } from '../src/cluster-recorder.js';

let cluster: TestCluster;
let namespace: TestNamespace;

const deployment = (name: string, replicas: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: app, image: registry.k8s.io/pause:3.10, resources: { requests: { cpu: 100m } } }]
`;

const bookingHpa = `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: booking-autoscaler }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: booking }
  minReplicas: 2
  maxReplicas: 15
  metrics: [{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } } }]
`;

beforeAll(async () => {
  cluster = await getTestCluster();
  namespace = await createTestNamespace(cluster, 'loadtests-recorder');
  const input = [deployment('booking', 2), deployment('user', 3), bookingHpa].join('\n---\n');
  await kubectlOrThrow(cluster, ['apply', '-f', '-'], { namespace: namespace.name, input });
}, 300_000);

afterAll(async () => {
  await namespace?.cleanup();
});

test('samples the HPA of booking (found by its target) and the Deployment of user', async () => {
  const samples = await waitFor(
    'the HPA to report replicas and user to be ready',
    async () => {
      const round = await sampleOnce(cluster.kc, namespace.name, ['booking', 'user', 'catalog'], 7);
      const booking = round.find((s) => s.workload === 'booking');
      const user = round.find((s) => s.workload === 'user');
      return booking?.currentReplicas === 2 && user?.currentReplicas === 3 ? round : undefined;
    },
    { timeoutMs: 90_000 },
  );

  // toMatchObject: the HPA may or may not have measured CPU yet (metrics, lastScaleTime).
  expect(samples).toMatchObject([
    {
      atSeconds: 7,
      workload: 'booking',
      source: 'hpa',
      currentReplicas: 2,
      desiredReplicas: expect.any(Number),
      minReplicas: 2,
      maxReplicas: 15,
      readyReplicas: 2,
    },
    {
      atSeconds: 7,
      workload: 'user',
      source: 'deployment',
      currentReplicas: 3,
      desiredReplicas: 3,
    },
    // catalog does not exist here: no sample, which the rules report as "not observed".
  ]);
  expect(samples[1]).not.toHaveProperty('readyReplicas');
}, 120_000);
