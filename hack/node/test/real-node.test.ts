import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createTestNamespace,
  getTestCluster,
  kubectl,
  kubectlOrThrow,
  placeOnRealNode,
  realNodeSettings,
  startRealNode,
  stopRealNode,
  waitFor,
  type RealNodeSettings,
  type TestCluster,
  type TestNamespace,
} from '@tourkit/testenv';
import { hostState } from './support/host-state.js';

// One file, run in order: the lifecycle test stops and starts the node the later tests use.
// Starting the node may first build its tools (tens of minutes on a cold machine).
const START = 60 * 60_000;
const TEST = 10 * 60_000;

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The test server's image, imported into the node's image store (cached by the binary's digest). */
function buildTestImage(): string {
  return execFileSync(path.join(fixtures, 'build-image.sh'), [], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

let cluster: TestCluster;
let node: RealNodeSettings;

beforeAll(async () => {
  cluster = await getTestCluster();
  node = realNodeSettings();
}, START);

describe('the real node on the host', () => {
  it(
    'is removed by down with everything up added, running pods included: mounts, links, namespaces, processes, iptables, cgroups, settings',
    async () => {
      await stopRealNode();
      // On a fresh machine up.sh installs iptables & co.; the "before" picture needs them already.
      execFileSync(path.join(fixtures, '..', '..', 'up.sh'), ['--packages'], { stdio: 'inherit' });
      const before = hostState(node);

      await startRealNode();
      // A running pod: its shim, container, cgroups, volumes and network namespace must go too.
      const image = buildTestImage();
      const ns = await createTestNamespace(cluster, 'node-lifecycle');
      await placeOnRealNode(cluster, ns.name);
      await kubectlOrThrow(
        cluster,
        ['run', 'server', `--image=${image}`, '--image-pull-policy=Never'],
        {
          namespace: ns.name,
        },
      );
      await kubectlOrThrow(
        cluster,
        ['wait', '--for=condition=Ready', 'pod/server', '--timeout=120s'],
        {
          namespace: ns.name,
        },
      );
      const running = hostState(node);
      // The listing sees the node and its pod: otherwise an equal "after" would prove nothing.
      expect(running.netns).toContain(node.netns);
      expect(running.links).toContain(node.vethHost);
      expect(running.processes.some((p) => p.endsWith('/containerd-shim-runc-v2'))).toBe(true);
      expect(running.processes.some((p) => p.endsWith('/testserver'))).toBe(true);
      expect(running.cgroups).toContain(`memory${node.cgroupRoot}`);
      expect(running.mounts.some((mount) => mount.startsWith(`${node.dir}/`))).toBe(true);

      await stopRealNode();
      expect(hostState(node)).toEqual(before);
      await ns.cleanup();
    },
    START,
  );
});

describe('a machine that cannot run the node', () => {
  const up = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'up.sh');

  /** Runs up.sh with a cache of its own, returning its exit code, output and what it wrote. */
  function tryUp(env: NodeJS.ProcessEnv, asNobody = false) {
    const cache = mkdtempSync(path.join(tmpdir(), 'tourkit-node-refused-'));
    chmodSync(cache, 0o777);
    const command = asNobody ? 'setpriv' : up;
    const args = asNobody ? ['--reuid=65534', '--regid=65534', '--clear-groups', up] : [];
    const result = spawnSync(command, args, {
      env: { ...process.env, ...env, TOURKIT_CACHE: cache },
      encoding: 'utf8',
    });
    const written = readdirSync(cache);
    rmSync(cache, { recursive: true, force: true });
    return { code: result.status, output: result.stderr, written };
  }

  it('says it needs root, and writes nothing', () => {
    const result = tryUp({}, true);
    expect(result).toEqual({
      code: 1,
      output: expect.stringContaining('not root: the node needs root') as unknown as string,
      written: [],
    });
  });

  it('names the veth address another link holds, and writes nothing', () => {
    const result = tryUp({
      TOURKIT_NODE_NETNS: 'tourkit-refused',
      TOURKIT_NODE_VETH: 'tk-refused0',
      TOURKIT_NODE_HOST_IP: '127.0.0.1',
    });
    expect(result).toEqual({
      code: 1,
      output: expect.stringContaining('address 127.0.0.1 is already on lo') as unknown as string,
      written: [],
    });
  });
});

describe('pods on the real node', () => {
  let ns: TestNamespace;
  let image: string;

  beforeAll(async () => {
    await startRealNode();
    image = buildTestImage();
    ns = await createTestNamespace(cluster, 'real-node');
    await placeOnRealNode(cluster, ns.name);
  }, START);

  afterAll(async () => {
    await ns?.cleanup();
  });

  const web = () => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: ${image}
          imagePullPolicy: Never
          env: [{ name: READY_AFTER_SECONDS, value: "2" }]
          ports: [{ containerPort: 8080 }]
          readinessProbe:
            httpGet: { path: /readyz, port: 8080 }
            periodSeconds: 1
            failureThreshold: 1
          resources: { requests: { cpu: 10m, memory: 16Mi }, limits: { memory: 64Mi } }
          securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  type: NodePort
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
`;

  interface PodStatus {
    name: string;
    ip: string;
    node: string;
    ready: boolean;
  }

  async function webPods(): Promise<PodStatus[]> {
    const out = await kubectlOrThrow(cluster, ['get', 'pods', '-l', 'app=web', '-o', 'json'], {
      namespace: ns.name,
    });
    const pods = JSON.parse(out) as {
      items: {
        metadata: { name: string };
        spec: { nodeName?: string };
        status: { podIP?: string; conditions?: { type: string; status: string }[] };
      }[];
    };
    return pods.items.map((pod) => ({
      name: pod.metadata.name,
      ip: pod.status.podIP ?? '',
      node: pod.spec.nodeName ?? '',
      ready: (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    }));
  }

  async function serviceEndpoints(): Promise<string[]> {
    const out = await kubectlOrThrow(
      cluster,
      ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'json'],
      { namespace: ns.name },
    );
    const slices = JSON.parse(out) as {
      items: { endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[] }[];
    };
    return slices.items
      .flatMap((slice) => slice.endpoints ?? [])
      .filter((endpoint) => endpoint.conditions?.ready)
      .flatMap((endpoint) => endpoint.addresses)
      .sort();
  }

  it(
    'runs pods that become Ready through their readiness probe, and leave the Service when it fails',
    async () => {
      await kubectlOrThrow(cluster, ['apply', '-f', '-'], { namespace: ns.name, input: web() });
      const pods = await waitFor(
        'both web pods Ready on the real node',
        async () => {
          const current = await webPods();
          return current.length === 2 && current.every((pod) => pod.ready) ? current : undefined;
        },
        { timeoutMs: 180_000, lastSeen: () => 'see kubectl describe pods' },
      );
      for (const pod of pods) {
        expect(pod.node).toBe(node.name);
        expect(pod.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      }
      expect(await serviceEndpoints()).toEqual(pods.map((pod) => pod.ip).sort());

      // The probe is real: the server inside one pod stops answering it, and the kubelet sees that.
      const [failing, healthy] = pods as [PodStatus, PodStatus];
      await kubectlOrThrow(
        cluster,
        ['exec', failing.name, '--', '/testserver', 'post', 'http://127.0.0.1:8080/unready'],
        { namespace: ns.name },
      );
      await waitFor('the unready pod to leave the Service', async () => {
        const endpoints = await serviceEndpoints();
        return endpoints.length === 1 ? endpoints : undefined;
      });
      expect(await serviceEndpoints()).toEqual([healthy.ip]);
      expect((await webPods()).find((pod) => pod.name === failing.name)?.ready).toBe(false);

      await kubectlOrThrow(
        cluster,
        ['exec', failing.name, '--', '/testserver', 'post', 'http://127.0.0.1:8080/ready'],
        { namespace: ns.name },
      );
      await waitFor('the pod to be back in the Service', async () => {
        const endpoints = await serviceEndpoints();
        return endpoints.length === 2 ? endpoints : undefined;
      });
    },
    TEST,
  );

  it(
    "serves through the Service to the host, on a NodePort of the node's address",
    async () => {
      const nodePort = await kubectlOrThrow(
        cluster,
        ['get', 'service', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}'],
        { namespace: ns.name },
      );
      const response = await fetch(`http://${node.ip}:${nodePort}/`);
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/^hello from web-/);
    },
    TEST,
  );

  it(
    'serves through the Service (kube-proxy) to another pod, by its DNS name (CoreDNS)',
    async () => {
      const client = `
apiVersion: v1
kind: Pod
metadata: { name: client }
spec:
  restartPolicy: Never
  containers:
    - name: client
      image: ${image}
      imagePullPolicy: Never
      args: [get, "http://web.${ns.name}.svc.cluster.local/"]
`;
      await kubectlOrThrow(cluster, ['apply', '-f', '-'], { namespace: ns.name, input: client });
      const phase = await waitFor(
        'the client pod to finish',
        async () => {
          const out = await kubectlOrThrow(
            cluster,
            ['get', 'pod', 'client', '-o', 'jsonpath={.status.phase}'],
            { namespace: ns.name },
          );
          return out === 'Succeeded' || out === 'Failed' ? out : undefined;
        },
        { timeoutMs: 120_000 },
      );
      const logs = await kubectl(cluster, ['logs', 'client'], { namespace: ns.name });
      expect({ phase, logs: logs.stdout + logs.stderr }).toEqual({
        phase: 'Succeeded',
        logs: expect.stringMatching(/^hello from web-/) as unknown as string,
      });
    },
    TEST,
  );

  it(
    "reports a busy pod's real CPU from the kubelet's /metrics/resource through metrics-server",
    async () => {
      const spinner = `
apiVersion: v1
kind: Pod
metadata: { name: spinner }
spec:
  containers:
    - name: spin
      image: ${image}
      imagePullPolicy: Never
      args: [spin]
      resources: { requests: { cpu: 100m }, limits: { cpu: 200m, memory: 32Mi } }
`;
      await kubectlOrThrow(cluster, ['apply', '-f', '-'], { namespace: ns.name, input: spinner });
      await kubectlOrThrow(
        cluster,
        ['wait', '--for=condition=Ready', 'pod/spinner', '--timeout=120s'],
        { namespace: ns.name },
      );

      // The kubelet's own endpoint (through the API server's node proxy): a growing CPU counter.
      const cpuSeconds = async (): Promise<number | undefined> => {
        const metrics = await kubectlOrThrow(cluster, [
          'get',
          '--raw',
          `/api/v1/nodes/${node.name}/proxy/metrics/resource`,
        ]);
        const line = metrics
          .split('\n')
          .find(
            (l) =>
              l.startsWith('container_cpu_usage_seconds_total{') &&
              l.includes(`namespace="${ns.name}"`) &&
              l.includes('pod="spinner"'),
          );
        return line ? Number(line.split(' ')[1]) : undefined;
      };
      const first = await waitFor('the spinner in the kubelet /metrics/resource', cpuSeconds);
      const later = await waitFor('its CPU counter to grow', async () => {
        const value = await cpuSeconds();
        return value !== undefined && value > first + 0.5 ? value : undefined;
      });
      expect(later).toBeGreaterThan(first);

      // metrics-server serves it (what an HPA reads): close to the 200m limit, far above idle.
      const millicores = await waitFor(
        'metrics.k8s.io to report the spinner busy',
        async () => {
          const result = await kubectl(cluster, [
            'get',
            '--raw',
            `/apis/metrics.k8s.io/v1beta1/namespaces/${ns.name}/pods/spinner`,
          ]);
          if (result.code !== 0) return undefined;
          const usage = JSON.parse(result.stdout) as { containers: { usage: { cpu: string } }[] };
          const cpu = usage.containers[0]?.usage.cpu ?? '0';
          const value = cpu.endsWith('n')
            ? Number(cpu.slice(0, -1)) / 1e6
            : cpu.endsWith('u')
              ? Number(cpu.slice(0, -1)) / 1e3
              : cpu.endsWith('m')
                ? Number(cpu.slice(0, -1))
                : Number(cpu) * 1000;
          return value >= 100 ? value : undefined;
        },
        { timeoutMs: 120_000 },
      );
      expect(millicores).toBeGreaterThanOrEqual(100);
      expect(millicores).toBeLessThan(300);
    },
    TEST,
  );
});
