import {
  createTestNamespace,
  getTestCluster,
  kubectl,
  type TestCluster,
  type TestNamespace,
} from '../src/index.js';

let cluster: TestCluster;
let namespace: TestNamespace;

beforeAll(async () => {
  cluster = await getTestCluster();
  namespace = await createTestNamespace(cluster, 'dry-run');
}, 60 * 60_000);

afterAll(async () => {
  await namespace?.cleanup();
});

const invalidDeployment = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: invalid }
spec:
  replicas: -1
  selector: { matchLabels: { app: invalid } }
  template:
    metadata: { labels: { app: other } }
    spec:
      containers: [{ name: app, image: registry.k8s.io/pause:3.10 }]
`;

test("a server-side dry-run of an invalid object is rejected with the API server's message", async () => {
  const dryRun = await kubectl(cluster, ['apply', '--dry-run=server', '-f', '-'], {
    namespace: namespace.name,
    input: invalidDeployment,
  });
  expect(dryRun.code).not.toBe(0);
  expect(dryRun.stderr).toContain('The Deployment "invalid" is invalid');
  expect(dryRun.stderr).toContain(
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
  );
  expect(dryRun.stderr).toContain('spec.template.metadata.labels: Invalid value');

  const stored = await kubectl(cluster, ['get', 'deployment', 'invalid'], {
    namespace: namespace.name,
  });
  expect(stored.stderr).toContain('NotFound');
});

test('a server-side dry-run of a valid object succeeds and stores nothing', async () => {
  const valid = invalidDeployment
    .replace('replicas: -1', 'replicas: 1')
    .replace('app: other', 'app: invalid');
  const dryRun = await kubectl(cluster, ['apply', '--dry-run=server', '-f', '-'], {
    namespace: namespace.name,
    input: valid,
  });
  expect(dryRun).toMatchObject({
    code: 0,
    stdout: expect.stringContaining('created (server dry run)'),
  });
  const stored = await kubectl(cluster, ['get', 'deployment', 'invalid'], {
    namespace: namespace.name,
  });
  expect(stored.code).not.toBe(0);
});
