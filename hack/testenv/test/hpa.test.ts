import {
  AppsV1Api,
  AutoscalingV2Api,
  type V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import { stringify } from 'yaml';
import {
  createTestNamespace,
  getTestCluster,
  kubectl,
  setSimulatedUsage,
  simulatedUsageAvailable,
  waitFor,
  type TestNamespace,
} from '../src/index.js';
import { fakeNodeNames, pauseDeployment } from './support/workload.js';

// Simulated usage needs kwok (the local control plane has it; on kind, install kwok and its
// usage CRDs as hack/README.md says). Decided before the tests are collected.
const cluster = await getTestCluster();
const simulated = await simulatedUsageAvailable(cluster);
const describeWithSimulatedUsage = simulated ? describe : describe.skip;
if (!simulated)
  console.warn('HPA tests skipped: the cluster has no kwok.x-k8s.io API (simulated usage)');

const minReplicas = 1;
const maxReplicas = 4;

function hpaManifest(target: string): string {
  return stringify({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: target },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas,
      maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
        },
      ],
      // Test-sized: react to every evaluation instead of waiting out production windows.
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          policies: [{ type: 'Percent', value: 100, periodSeconds: 5 }],
        },
        scaleDown: {
          stabilizationWindowSeconds: 0,
          policies: [{ type: 'Percent', value: 100, periodSeconds: 5 }],
        },
      },
    },
  });
}

describeWithSimulatedUsage('HorizontalPodAutoscaler driven by metrics-server', () => {
  let namespace: TestNamespace;
  const apps = cluster.kc.makeApiClient(AppsV1Api);
  const autoscaling = cluster.kc.makeApiClient(AutoscalingV2Api);
  let lastHpa: V2HorizontalPodAutoscaler | undefined;

  const readHpa = async () => {
    lastHpa = await autoscaling.readNamespacedHorizontalPodAutoscaler({
      name: 'api',
      namespace: namespace.name,
    });
    return lastHpa;
  };
  const observedUtilization = (hpa: V2HorizontalPodAutoscaler) =>
    hpa.status?.currentMetrics?.[0]?.resource?.current.averageUtilization;
  const describeHpa = () =>
    JSON.stringify({
      status: lastHpa?.status?.desiredReplicas,
      metrics: lastHpa?.status?.currentMetrics,
      conditions: lastHpa?.status?.conditions?.map((c) => `${c.type}=${c.status}: ${c.message}`),
    });

  const replicasBecome = (count: number) =>
    waitFor(
      `Deployment api scaled to ${count} replicas by the HPA`,
      async () => {
        await readHpa();
        const deployment = await apps.readNamespacedDeployment({
          name: 'api',
          namespace: namespace.name,
        });
        return deployment.spec?.replicas === count ? deployment : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 2_000, lastSeen: describeHpa },
    );

  beforeAll(async () => {
    namespace = await createTestNamespace(cluster, 'hpa');
    const onFakeNodes = (await fakeNodeNames(cluster)).length > 0;
    for (const manifest of [pauseDeployment('api', minReplicas, onFakeNodes), hpaManifest('api')]) {
      const applied = await kubectl(cluster, ['apply', '-f', '-'], {
        namespace: namespace.name,
        input: manifest,
      });
      expect(applied.stderr).toBe('');
    }
    const available = await kubectl(
      cluster,
      ['wait', '--for=condition=Available', 'deployment/api', '--timeout=120s'],
      {
        namespace: namespace.name,
      },
    );
    expect(available.code).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await namespace?.cleanup();
  });

  test('reads the idle usage from metrics-server and stays at its minimum', async () => {
    const hpa = await waitFor(
      'the HPA to read CPU utilization from the metrics API',
      async () => {
        const current = await readHpa();
        return observedUtilization(current) !== undefined ? current : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 2_000, lastSeen: describeHpa },
    );
    expect(observedUtilization(hpa)).toBeLessThan(50);
    expect(hpa.status?.desiredReplicas).toBe(minReplicas);
  }, 150_000);

  test('scales up to its maximum when the simulated CPU usage rises above the target', async () => {
    // 200m used of 100m requested: 200 % utilization against a 50 % target.
    await setSimulatedUsage(cluster, namespace.name, { cpu: '200m' });

    const podMetrics = await waitFor(
      'metrics-server to report the raised usage',
      async () => {
        const raw = await kubectl(cluster, [
          'get',
          '--raw',
          `/apis/metrics.k8s.io/v1beta1/namespaces/${namespace.name}/pods`,
        ]);
        const items = (
          JSON.parse(raw.stdout) as { items: { containers: { usage: { cpu: string } }[] }[] }
        ).items;
        const cpus = items.flatMap((item) => item.containers.map((c) => milliCpu(c.usage.cpu)));
        return cpus.length > 0 && cpus.every((cpu) => cpu >= 150) ? cpus : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 2_000 },
    );
    expect(podMetrics.length).toBeGreaterThanOrEqual(1);

    await replicasBecome(maxReplicas);
    expect(observedUtilization(lastHpa!)).toBeGreaterThan(50);
    const scaled = lastHpa?.status?.conditions?.find((c) => c.type === 'AbleToScale');
    expect(scaled?.status).toBe('True');
  }, 300_000);

  test('scales back down to its minimum when the usage drops', async () => {
    await setSimulatedUsage(cluster, namespace.name, { cpu: '5m' });
    await replicasBecome(minReplicas);
    expect(observedUtilization(lastHpa!) ?? 0).toBeLessThan(50);
  }, 300_000);
});

function milliCpu(quantity: string): number {
  if (quantity.endsWith('n')) return Number(quantity.slice(0, -1)) / 1e6;
  if (quantity.endsWith('u')) return Number(quantity.slice(0, -1)) / 1e3;
  if (quantity.endsWith('m')) return Number(quantity.slice(0, -1));
  return Number(quantity) * 1000;
}
