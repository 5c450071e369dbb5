import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
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
import { SERVICE_NAMES } from '@tourkit/cdk8s/service-list';
import { bookingOf, createTourThrough, signUpAt } from '@tourkit/e2e/support/actors';
import { expectStatus, jsonClient, type JsonClient } from '@tourkit/e2e/support/http';
import { runK6 } from '@tourkit/loadtests/testing/k6';
import { hostState } from './support/host-state.js';
import {
  GATEWAY_URL,
  hpaBounds,
  hpaState,
  internalCall,
  mailsTo,
  makeUp,
  podsOf,
  scalingschedule,
  scheduleOf,
  steadyTraffic,
} from './support/platform-on-node.js';

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

describe('the platform on the real node, deployed as `make up` deploys it', () => {
  // A namespace of the test's own: the same manifests and the same URLs as `make up` (the
  // NodePorts are fixed, so one platform at a time on the node).
  const namespace = 'tourkit-node-e2e';
  let gateway: JsonClient;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    await startRealNode();
    await makeUp(namespace);
    // Every answer checked against the public OpenAPI document, as in the e2e tests.
    gateway = jsonClient(GATEWAY_URL, {}, 'gateway');
  }, START);

  afterAll(async () => {
    await kubectl(cluster, ['delete', 'namespace', namespace, '--wait=false']);
  });

  it(
    'runs every service of services/services.json on the node, each pod Ready through its probes',
    async () => {
      const services = SERVICE_NAMES;
      const pods = (await podsOf(cluster, namespace)).filter((pod) => !pod.deleting);
      const seen = services.map((service) => {
        const own = pods.filter((pod) => pod.service === service);
        return {
          service,
          pods: own.length > 0,
          ready: own.every((pod) => pod.ready),
          nodes: [...new Set(own.map((pod) => pod.node))],
        };
      });
      expect(seen).toEqual(
        services.map((service) => ({ service, pods: true, ready: true, nodes: [node.name] })),
      );
    },
    TEST,
  );

  it(
    "carries a traveller's journey through the gateway Service: sign up, search, quote, book, paid, e-mailed, reviewed",
    async () => {
      const stamp = randomUUID().slice(0, 8);
      // The operator's back office: catalog's API inside a catalog pod, checked against catalog's document.
      const catalog = {
        post: (route: string, body?: unknown) =>
          internalCall(cluster, namespace, 'catalog', 'POST', route, body),
      };
      const createTour = (title: string, startsAt: Date) =>
        createTourThrough(catalog, {
          title,
          destination: 'Paris',
          country: 'FR',
          startsAt,
          capacity: 20,
          priceCents: 5_000,
          operatorEmail: `operator-${stamp}@example.test`,
        });
      const evening = await createTour(
        `Real node evening ${stamp}`,
        new Date(Date.now() + 86_400_000),
      );
      // The tour reviewed at the end: it starts a minute from now.
      const soon = await createTour(`Real node dawn ${stamp}`, new Date(Date.now() + 60_000));

      // Sign up and log in with the generated client (@tourkit/api-client), as e2e's travellers do.
      const traveller = await signUpAt(GATEWAY_URL, 'ada');
      const email = traveller.email;
      const ada = traveller.api;

      // Anonymous search through the gateway, narrowed to the minute of the new tour's departure.
      const departure = Date.parse(evening.startsAt);
      const window = new URLSearchParams({
        destination: 'Paris',
        available: 'true',
        from: new Date(departure).toISOString(),
        to: new Date(departure + 60_000).toISOString(),
      });
      const search = expectStatus(await gateway.get(`/v1/tours?${window}`), 200, 'search');
      expect(search.items.map((tour: { id: string }) => tour.id)).toContain(evening.id);

      const quote = expectStatus(
        await ada.post('/v1/bookings/quote', { tourId: evening.id, travellers: 2 }),
        200,
        'quote',
      );
      // 2 × 50 €, French VAT 20 %.
      expect(quote).toMatchObject({ basePriceCents: 10_000, totalCents: 12_000 });

      const book = async (tourId: string, travellers: number) =>
        expectStatus(
          await ada.post(
            '/v1/bookings',
            { tourId, travellers },
            { 'idempotency-key': randomUUID() },
          ),
          201,
          `book ${tourId}`,
        );
      const booking = await book(evening.id, 2);
      const dawn = await book(soon.id, 1);
      for (const id of [booking.id, dawn.id]) {
        await waitFor(
          `booking ${id} CONFIRMED (charged through booking's queue and payment)`,
          async () => {
            const current = await bookingOf(traveller, id);
            return current.status === 'CONFIRMED' ? current : undefined;
          },
          { timeoutMs: 120_000 },
        );
      }

      const confirmation = await waitFor(
        'the confirmation e-mail in Mailpit',
        async () =>
          (await mailsTo(email)).find((mail) =>
            mail.Subject.includes(`Real node evening ${stamp}`),
          ),
        { timeoutMs: 120_000 },
      );
      expect(confirmation.To.map((to) => to.Address)).toEqual([email]);

      await waitFor(
        'the dawn tour to have started',
        async () => (Date.now() > Date.parse(soon.startsAt) + 1_000 ? true : undefined),
        { timeoutMs: 120_000 },
      );
      const review = expectStatus(
        await ada.post(`/v1/tours/${soon.id}/reviews`, { rating: 4, comment: 'Quiet streets.' }),
        201,
        'review',
      );
      expect(review).toMatchObject({ rating: 4 });
      // Catalog's rating arrives through review's outbox, across pods.
      await waitFor(
        "catalog's rating of the reviewed tour",
        async () => {
          const tour = expectStatus(await gateway.get(`/v1/tours/${soon.id}`), 200, 'tour');
          return tour.ratingCount === 1 && tour.ratingAverage === 4 ? tour : undefined;
        },
        { timeoutMs: 120_000 },
      );
    },
    TEST,
  );

  it(
    'replaces a catalog pod deleted under steady traffic, and no request through the gateway fails',
    async () => {
      const catalogPods = async () =>
        (await podsOf(cluster, namespace)).filter(
          (pod) => pod.service === 'catalog' && pod.ready && !pod.deleting,
        );
      const before = await catalogPods();
      expect(before.length).toBeGreaterThanOrEqual(2);

      let stopTraffic!: () => void;
      const stop = new Promise<void>((resolve) => (stopTraffic = resolve));
      // Under the gateway's rate limit (300 requests a minute per client, RATE_LIMIT_PER_MINUTE):
      // every request from this host reaches it from the node's one address, so more than 5 a
      // second would be refused with 429 once the replacement takes longer than a minute's budget.
      const trafficStarted = Date.now();
      const traffic = steadyTraffic(`${GATEWAY_URL}/v1/tours?destination=Paris`, 3, stop);
      await sleep(5_000);
      const victim = before[0]!;
      await kubectlOrThrow(cluster, ['delete', 'pod', victim.name, '--wait=false'], {
        namespace,
      });
      // Its replacement Ready, and the old one gone (terminated after its preStop and drain).
      await waitFor(
        'a new catalog pod Ready, the deleted one gone',
        async () => {
          const pods = await podsOf(cluster, namespace);
          const ready = pods.filter((p) => p.service === 'catalog' && p.ready && !p.deleting);
          const gone = !pods.some((p) => p.name === victim.name);
          return gone && ready.length >= before.length ? ready : undefined;
        },
        { timeoutMs: 300_000 },
      );
      // At least 40 s of traffic in all, so that more than 100 requests cross the replacement.
      await sleep(Math.max(5_000, 40_000 - (Date.now() - trafficStarted)));
      stopTraffic();
      const result = await traffic;
      expect(result.failures).toEqual([]);
      expect(result.sent).toBeGreaterThan(100);
    },
    TEST,
  );

  it(
    "moves booking's HPA bounds when a boost begins, and back when it ends (the operator's pod)",
    async () => {
      const schedule = await scheduleOf(cluster, namespace, 'booking');
      const before = await hpaBounds(cluster, namespace, 'booking');
      const boosted = Math.min(before.min + 1, before.max);
      expect(boosted).toBeGreaterThan(before.min);
      await scalingschedule(cluster, [
        'boost',
        schedule,
        '--min',
        String(boosted),
        '--for',
        '1m',
        '-n',
        namespace,
      ]);
      await waitFor(
        `booking's HPA at min ${boosted} (the boost begins)`,
        async () =>
          (await hpaBounds(cluster, namespace, 'booking')).min === boosted ? true : undefined,
        { timeoutMs: 60_000 },
      );
      await waitFor(
        `booking's HPA back at min ${before.min} (the boost ends)`,
        async () =>
          (await hpaBounds(cluster, namespace, 'booking')).min === before.min ? true : undefined,
        { timeoutMs: 180_000 },
      );
    },
    TEST,
  );

  it(
    'scales booking up from its real CPU under k6 load through the gateway, and down when the load stops',
    async () => {
      // Booking's real scale-up policy (50 % a minute, 60 s stabilization); its scale-down, 1 pod
      // every 120 s after 300 s, is shortened for the test on this live object only.
      // A test-sized CPU target, 30m a pod, between what an idle booking pod uses here (8-15m) and
      // what two pods each burn under this load on the two-CPU node (50-85m; measured 2026-12-08).
      // The deployed target is the profile's 70m a pod (70 % of 100m, or 280 % of the 25m request
      // on this node), which this node, busy with the whole platform and k6, cannot reach.
      const request = await kubectlOrThrow(
        cluster,
        [
          'get',
          'deployment',
          'booking',
          '-o',
          'jsonpath={.spec.template.spec.containers[0].resources.requests.cpu}',
        ],
        { namespace },
      );
      expect(request).toMatch(/^\d+m$/);
      const testTarget = Math.round((30 * 100) / Number.parseInt(request, 10));
      const cpuMetric = {
        type: 'Resource',
        resource: {
          name: 'cpu',
          target: { type: 'Utilization', averageUtilization: testTarget },
        },
      };
      const scaleDown = {
        stabilizationWindowSeconds: 30,
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      };
      // From booking's minimum: the boost test before may have left it a pod above (its scale-down
      // waits 300 s); in the clean-clone run of 2026-12-08 that start of 3 asked for 5 pods, more
      // than this load gives booking CPU for.
      const bounds = await hpaBounds(cluster, namespace, 'booking');
      const atRest = bounds.min;
      // The development schedule's bounds are sized for a two-CPU node and may leave less than two
      // pods of room: a boost raises the ceiling for the load's length, as before a known peak.
      if (bounds.max < atRest + 2) {
        const schedule = await scheduleOf(cluster, namespace, 'booking');
        const max = String(atRest + 3);
        const boost = ['boost', schedule, '--min', String(bounds.min), '--max', max];
        await scalingschedule(cluster, [...boost, '--for', '12m', '-n', namespace]);
        await waitFor(
          `booking's HPA ceiling raised to ${max}`,
          async () =>
            (await hpaBounds(cluster, namespace, 'booking')).max >= atRest + 2 ? true : undefined,
          { timeoutMs: 60_000 },
        );
      }

      // The test-sized scale-down and the CPU-only metric, read back now and again before the
      // scale-down is awaited, so that a change by anything else fails here and says so.
      await kubectlOrThrow(
        cluster,
        [
          'patch',
          'hpa',
          'booking',
          '--type=merge',
          '-p',
          // CPU only: this test is about CPU. Booking's memory target (80 % of requests) is not
          // what the load moves; in a clean-clone run on 2026-12-07 booking came down one pod per
          // two minutes with "All metrics below target" between long holds, as a memory average
          // near its target does (within the HPA's 10 % tolerance it keeps the count).
          JSON.stringify({ spec: { behavior: { scaleDown }, metrics: [cpuMetric] } }),
        ],
        { namespace },
      );
      const liveWindow = () =>
        kubectlOrThrow(
          cluster,
          [
            'get',
            'hpa',
            'booking',
            '-o',
            'jsonpath={.spec.behavior.scaleDown.stabilizationWindowSeconds}',
          ],
          { namespace },
        );
      expect(await liveWindow()).toBe(String(scaleDown.stabilizationWindowSeconds));
      let seen = '';
      const lastSeen = () => seen;
      await waitFor(
        `booking at its minimum, ${atRest} pods, before the load`,
        async () => {
          const hpa = await hpaState(cluster, namespace, 'booking');
          seen = hpa.summary;
          return hpa.replicas === atRest ? true : undefined;
        },
        { timeoutMs: 180_000, intervalMs: 5_000, lastSeen },
      );

      // Quotes and bookings through the gateway: k6 on the host, to 127.0.0.1 only; the gateway
      // reaches booking through booking's Service, which kube-proxy spreads over its pods.
      const load = runK6('booking-peak', {
        BASE_URL: GATEWAY_URL,
        PEAK_RATE: '10',
        DURATION: '4m',
        MAX_VUS: '40',
        USERS: '10',
      });
      const peak = await waitFor(
        `booking scaled from ${atRest} to at least ${atRest + 2} pods by the HPA, from metrics-server's CPU`,
        async () => {
          const hpa = await hpaState(cluster, namespace, 'booking');
          seen = hpa.summary;
          return hpa.replicas >= atRest + 2 ? hpa.replicas : undefined;
        },
        { timeoutMs: 240_000, intervalMs: 5_000, lastSeen },
      );
      const run = await load;
      expect(run.summary).toBeDefined();
      expect(await liveWindow()).toBe(String(scaleDown.stabilizationWindowSeconds));
      await waitFor(
        `booking back to ${atRest} pods once the load stopped (from ${peak})`,
        async () => {
          const hpa = await hpaState(cluster, namespace, 'booking');
          seen = hpa.summary;
          return hpa.replicas <= atRest ? true : undefined;
        },
        { timeoutMs: 420_000, intervalMs: 5_000, lastSeen },
      );
    },
    // k6 runs 4 minutes; scaling up and down are each bounded by their waits.
    17 * 60_000,
  );
});
