import { CoreV1Api } from '@kubernetes/client-node';
import {
  createTestNamespace,
  getTestCluster,
  kubectl,
  type TestCluster,
  type TestNamespace,
} from '../src/index.js';
import { fakeNodeNames, isFakeNode, pauseDeployment } from './support/workload.js';

const clusterStartMs = 60 * 60_000; // a cold first run builds the tools
let cluster: TestCluster;
let namespace: TestNamespace;

beforeAll(async () => {
  cluster = await getTestCluster();
  namespace = await createTestNamespace(cluster, 'deployment');
}, clusterStartMs);

afterAll(async () => {
  await namespace?.cleanup();
});

test('a Deployment applied with kubectl becomes available, its pods running on the (fake) nodes', async () => {
  const fakeNodes = await fakeNodeNames(cluster);
  if (cluster.local) expect(fakeNodes.length).toBeGreaterThanOrEqual(1);

  const applied = await kubectl(cluster, ['apply', '-f', '-'], {
    namespace: namespace.name,
    input: pauseDeployment('web', 3, fakeNodes.length > 0),
  });
  expect(applied).toMatchObject({
    code: 0,
    stdout: expect.stringContaining('deployment.apps/web created'),
  });

  const available = await kubectl(
    cluster,
    ['wait', '--for=condition=Available', 'deployment/web', '--timeout=120s'],
    { namespace: namespace.name },
  );
  expect(available.stderr).toBe('');
  expect(available.code).toBe(0);

  const core = cluster.kc.makeApiClient(CoreV1Api);
  const pods = await core.listNamespacedPod({
    namespace: namespace.name,
    labelSelector: 'app=web',
  });
  const running = pods.items.filter(
    (pod) => pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp,
  );
  expect(running).toHaveLength(3);
  for (const pod of running) {
    const node = await core.readNode({ name: pod.spec!.nodeName! });
    if (fakeNodes.length > 0) expect(isFakeNode(node)).toBe(true);
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  }
}, 180_000);

test('createTestNamespace labels its namespace, and cleanup deletes it', async () => {
  const scratch = await createTestNamespace(cluster, 'scratch');
  const core = cluster.kc.makeApiClient(CoreV1Api);
  const created = await core.readNamespace({ name: scratch.name });
  expect(created.metadata?.labels).toMatchObject({
    'tourkit.dev/test': 'true',
    'tourkit.dev/test-prefix': 'scratch',
  });

  await scratch.cleanup();
  const gone = await core.readNamespace({ name: scratch.name }).then(
    (ns) => ns.status?.phase === 'Terminating',
    (error: { code?: number }) => error.code === 404,
  );
  expect(gone).toBe(true);
}, 60_000);
