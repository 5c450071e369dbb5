/**
 * Against a real control plane (hack/cluster: apiserver, controller-manager with the real HPA and
 * disruption controllers, kwok nodes, metrics-server; or any cluster named by KUBECONFIG):
 * every object passes a strict server-side dry-run (the API server's own OpenAPI schema of the version
 * under test), then a real apply in a fresh namespace where the Deployments become available, the
 * HPAs act and report metrics, and network policies, PDBs and ServiceAccounts are as intended.
 *
 * CRD kinds (ServiceMonitor, PrometheusRule, CloudNativePG Cluster) are sent only when their CRD
 * is installed on the cluster; the local control plane has none, so there they are left out.
 * The ScalingSchedule CRD is ours: it is applied (idempotently, shared by every test) before the rest.
 * Cluster-scoped objects (the operator's ClusterRole and binding) get the test namespace as a suffix,
 * so tests running side by side never rebind each other's.
 */
import { jest } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import {
  createTestNamespace,
  getTestCluster,
  kubectl,
  kubectlOrThrow,
  waitFor,
  type TestCluster,
  type TestNamespace,
} from '@tourkit/testenv';
import { SERVICE_NAMES, SERVICES } from '../src/services.js';
import { synthPlatform, type K8sObject, type Json } from './synth.js';

const MINUTE = 60_000;
jest.setTimeout(10 * MINUTE);

let cluster: TestCluster;
let ns: TestNamespace;
let objects: K8sObject[];
let namespaceObject: K8sObject;
const OPERATOR = 'tourkit-scaling-schedule';

// Decided before the tests are collected, so a cluster without CloudNativePG reports a skip.
const cnpgCrdInstalled =
  (await kubectl(await getTestCluster(), ['get', 'crd', 'clusters.postgresql.cnpg.io'])).code === 0;
if (!cnpgCrdInstalled)
  console.warn(
    'CloudNativePG CRD not installed: its Cluster variant is not dry-run on this cluster',
  );

/**
 * Cluster-scoped names made unique to this test's namespace, and NodePorts (a cluster-wide pool)
 * left to the API server, so two runs on one cluster, or a run beside a deployed platform, don't
 * collide. The NodePort numbers themselves are asserted field by field in workload tests.
 */
function isolateClusterScoped(list: K8sObject[], suffix: string): K8sObject[] {
  return list.map((o) => {
    if (o.kind === 'Service' && JSON.stringify(o).includes('"nodePort"')) {
      const spec = o.spec as { ports: Record<string, unknown>[] };
      const ports = spec.ports.map(({ nodePort: _assigned, ...port }) => port);
      return { ...o, spec: { ...spec, ports } };
    }
    if (o.kind === 'ClusterRole')
      return { ...o, metadata: { ...o.metadata, name: `${o.metadata.name}-${suffix}` } };
    if (o.kind === 'ClusterRoleBinding')
      return {
        ...o,
        metadata: { ...o.metadata, name: `${o.metadata.name}-${suffix}` },
        roleRef: { ...o.roleRef, name: `${o.roleRef.name}-${suffix}` },
      };
    return o;
  });
}

// JSON documents: valid YAML for kubectl, with no YAML 1.1 surprises ("yes" read as a boolean).
const toYaml = (list: K8sObject[]) => list.map((o) => `---\n${JSON.stringify(o)}\n`).join('');

const ok = (args: string[], input?: string): Promise<string> =>
  kubectlOrThrow(cluster, args, input === undefined ? {} : { input });

async function getJson(kind: string, name = ''): Promise<Json> {
  return JSON.parse(await ok(['-n', ns.name, 'get', kind, ...(name ? [name] : []), '-o', 'json']));
}

async function crdInstalled(name: string): Promise<boolean> {
  return (await kubectl(cluster, ['get', 'crd', name])).code === 0;
}

beforeAll(async () => {
  cluster = await getTestCluster();
  ns = await createTestNamespace(cluster, 'platform');
  const monitoring = await crdInstalled('servicemonitors.monitoring.coreos.com');
  const synthesized = synthPlatform({
    namespace: ns.name,
    // Production's real relay has no server here: the mail catcher (as on kind) receives the e-mails.
    mailCatcher: { enabled: true },
    serviceMonitor: { enabled: monitoring },
    prometheusRules: { enabled: await crdInstalled('prometheusrules.monitoring.coreos.com') },
  });
  objects = isolateClusterScoped(synthesized.platform, ns.name);
  namespaceObject = synthesized.namespace[0]!;
  await ok(
    ['apply', '--server-side', '--force-conflicts', '--field-manager=tourkit-test', '-f', '-'],
    toYaml(synthesized.crds),
  );
  await ok([
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    'crd/scalingschedules.scaling.tourkit.dev',
  ]);
  // The platform namespace enforces the "restricted" Pod Security Standard; so does the test's.
  await ok([
    'label',
    'namespace',
    ns.name,
    ...Object.entries(namespaceObject.metadata.labels!).map(([k, v]) => `${k}=${v}`),
  ]);
  await ok([
    '-n',
    ns.name,
    'create',
    'secret',
    'generic',
    'tourkit-secrets',
    '--from-literal=internal-token=test-internal-token-0123456789',
    '--from-literal=jwt-public-key=unused',
    '--from-literal=jwt-private-key=unused',
    '--from-literal=payment-link-secret=test-payment-link-secret-0123456789abcdef',
    '--from-literal=postgres-password=test',
    '--from-literal=redis-password=test',
  ]);
});

afterAll(async () => {
  if (ns) {
    await kubectl(cluster, [
      'delete',
      'persistentvolume',
      '-l',
      `tourkit.dev/test=${ns.name}`,
      '--ignore-not-found',
      '--wait=false',
    ]);
    await kubectl(cluster, [
      'delete',
      'clusterrolebinding,clusterrole',
      `${OPERATOR}-${ns.name}`,
      '--ignore-not-found',
    ]);
    await ns.cleanup();
  }
});

describe('the synthesized platform on a real API server', () => {
  it('passes a strict server-side dry-run, every object (schema of the running version, admission, PSA)', async () => {
    const result = await kubectl(
      cluster,
      [
        'apply',
        '--server-side',
        '--dry-run=server',
        '--validate=strict',
        '--field-manager=tourkit-test',
        '-f',
        '-',
      ],
      { input: toYaml([namespaceObject, ...objects]) },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(objects.length + 1);
  });

  // Skipped, not passed, where the operator's CRD is absent (the local control plane has none).
  (cnpgCrdInstalled ? it : it.skip)(
    'passes the dry-run for the CloudNativePG variant too, where its CRD is installed',
    async () => {
      const cnpg = synthPlatform({
        namespace: ns.name,
        cloudnativepg: { enabled: true },
        serviceMonitor: { enabled: false },
        prometheusRules: { enabled: false },
      });
      const result = await kubectl(
        cluster,
        ['apply', '--server-side', '--dry-run=server', '--validate=strict', '-f', '-'],
        {
          input: toYaml(cnpg.platform),
        },
      );
      expect(result.stderr).toBe('');
    },
  );

  describe('applied for real in a fresh namespace', () => {
    beforeAll(async () => {
      await ok(
        ['apply', '--server-side', '--field-manager=tourkit-test', '-f', '-'],
        toYaml(objects),
      );
    });

    it('makes every Deployment available, at its profile floor (the HPA raises catalog to 4), the operator too', async () => {
      const floor: Record<string, number> = {
        catalog: 4,
        user: 3,
        booking: 2,
        gateway: 2,
        review: 2,
        payment: 2,
        notification: 2,
        mailpit: 1,
        [OPERATOR]: 1,
      };
      let last = '';
      await waitFor(
        'every Deployment available at its floor',
        async () => {
          const list = (await getJson('deployments')).items as Json[];
          last = list
            .map(
              (d) =>
                `${d.metadata.name}=${d.status.availableReplicas ?? 0}/${floor[d.metadata.name]}`,
            )
            .join(' ');
          const ready = Object.keys(floor).every((name) => {
            const d = list.find((x) => x.metadata.name === name);
            const available = d?.status.conditions?.some(
              (c: Json) => c.type === 'Available' && c.status === 'True',
            );
            return available && (d.status.availableReplicas ?? 0) >= floor[name]!;
          });
          return ready ? true : undefined;
        },
        { timeoutMs: 5 * MINUTE, intervalMs: 3000, lastSeen: () => last },
      );
    });

    it('lets the HPA own the replica count: catalog, applied without replicas, was set to 4 by the HPA', async () => {
      const catalog = await getJson('deployment', 'catalog');
      expect(
        objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'catalog')!.spec
          .replicas,
      ).toBeUndefined();
      expect(catalog.spec.replicas).toBe(4);
    });

    it('has HPAs that are accepted, scale on their metrics and report them (booking: CPU and memory)', async () => {
      let last = '';
      const hpas = await waitFor(
        'every HPA reporting current metrics',
        async () => {
          const list = (await getJson('hpa')).items as Json[];
          last = list
            .map((h) => `${h.metadata.name}:${JSON.stringify(h.status.currentMetrics ?? [])}`)
            .join(' ');
          // A metric the HPA could not fetch shows up as an entry without a value.
          const measured = (h: Json) =>
            (h.status.currentMetrics ?? []).filter(
              (m: Json) =>
                m.type === 'Resource' &&
                typeof m.resource?.current?.averageUtilization === 'number',
            ).length;
          const reporting = list.filter((h) => measured(h) === h.spec.metrics.length);
          const autoscaled = SERVICES.filter((spec) => spec.profile.autoscaling).length;
          return list.length === autoscaled && reporting.length === autoscaled ? list : undefined;
        },
        { timeoutMs: 5 * MINUTE, intervalMs: 5000, lastSeen: () => last },
      );
      const booking = hpas.find((h) => h.metadata.name === 'booking');
      expect(booking.status.currentMetrics.map((m: Json) => m.resource.name).sort()).toEqual([
        'cpu',
        'memory',
      ]);
      const active = booking.status.conditions.find((c: Json) => c.type === 'ScalingActive');
      expect(active.status).toBe('True');
      expect(booking.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
      expect(hpas.map((h) => h.metadata.name).sort()).toEqual(
        SERVICE_NAMES.filter((s) => s !== 'user').sort(),
      );
    });

    it('has the default-deny and one allow NetworkPolicy per workload', async () => {
      const names = ((await getJson('networkpolicies')).items as Json[]).map(
        (p) => p.metadata.name,
      );
      const expected = [
        'default-deny',
        'allow-dns',
        'redis-queue',
        'redis-cache',
        'mailpit',
        OPERATOR,
        ...SERVICE_NAMES,
        ...SERVICES.filter((s) => s.database).map((s) => `${s.name}-db`),
      ];
      expect(names.sort()).toEqual(expected.sort());
      const deny = await getJson('networkpolicy', 'default-deny');
      expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    });

    it('has PodDisruptionBudgets that the disruption controller tracks', async () => {
      const pdbs = await waitFor(
        'every PDB observed',
        async () => {
          const list = ((await getJson('pdb')).items as Json[]).filter((p) =>
            (SERVICE_NAMES as readonly string[]).includes(p.metadata.name),
          );
          return list.length === SERVICE_NAMES.length &&
            list.every((p) => p.status?.expectedPods >= 2)
            ? list
            : undefined;
        },
        { timeoutMs: 2 * MINUTE },
      );
      const user = pdbs.find((p) => p.metadata.name === 'user');
      expect(user.status.expectedPods).toBe(3);
      expect(user.status.disruptionsAllowed).toBe(1);
    });

    it('keeps the pods of a database on different nodes, and its budget lets one go at a time', async () => {
      // The local control plane has no volume provisioner: give the databases' claims volumes of
      // their own, bound by claimRef (kwok's pods never mount them).
      const claims = [
        'data-user-db-0',
        'data-user-db-replica-0',
        'data-catalog-db-0',
        ...[0, 1, 2].map((i) => `data-catalog-db-replica-${i}`),
      ];
      await ok(
        ['apply', '--server-side', '--field-manager=tourkit-test', '-f', '-'],
        toYaml(
          claims.map((claim) => ({
            apiVersion: 'v1',
            kind: 'PersistentVolume',
            metadata: { name: `${ns.name}-${claim}`, labels: { 'tourkit.dev/test': ns.name } },
            spec: {
              capacity: { storage: '1Gi' },
              accessModes: ['ReadWriteOnce'],
              persistentVolumeReclaimPolicy: 'Delete',
              hostPath: { path: `/tmp/${ns.name}/${claim}` },
              claimRef: { namespace: ns.name, name: claim },
            },
          })),
        ),
      );
      // Production values: required anti-affinity. user-db (primary + synchronous standby) lands on
      // two kwok nodes; catalog-db (primary + 3 replicas) can use only the three nodes there are.
      const podsOf = async (db: string) =>
        ((await getJson('pods')).items as Json[]).filter(
          (p) => p.metadata.labels['app.kubernetes.io/name'] === db,
        );
      const userPods = await waitFor(
        'user-db primary and standby running, its budget allowing one disruption',
        async () => {
          const pods = await podsOf('user-db');
          const ready = pods.filter((p) =>
            p.status.conditions?.some((c: Json) => c.type === 'Ready' && c.status === 'True'),
          );
          const pdb = await getJson('pdb', 'user-db');
          return ready.length === 2 && pdb.status?.disruptionsAllowed === 1 ? ready : undefined;
        },
        { timeoutMs: 3 * MINUTE, intervalMs: 2000 },
      );
      expect(new Set(userPods.map((p: Json) => p.spec.nodeName)).size).toBe(2);

      const catalogPods = await waitFor(
        'catalog-db pods scheduled or found unschedulable',
        async () => {
          const pods = await podsOf('catalog-db');
          const scheduled = pods.filter((p) => p.spec.nodeName);
          return pods.length === 4 && scheduled.length === 3 ? pods : undefined;
        },
        { timeoutMs: 3 * MINUTE, intervalMs: 2000 },
      );
      const nodes = catalogPods
        .filter((p: Json) => p.spec.nodeName)
        .map((p: Json) => p.spec.nodeName);
      expect(new Set(nodes).size).toBe(nodes.length);

      // Two evictions back to back, as a drain of both nodes would send them: the budget lets the
      // first through and refuses the second (429) while the first pod is not back. kwok would
      // replace an evicted pod within milliseconds, so a finalizer holds each pod in Terminating
      // (as a real Postgres shutting down is); the API is called directly, because kubectl's client
      // retries a 429 until the budget allows it again.
      const [first, second] = userPods.map((p: Json) => p.metadata.name as string);
      const hold = (pod: string, finalizers: string[]) =>
        ok([
          '-n',
          ns.name,
          'patch',
          'pod',
          pod,
          '--type=merge',
          '-p',
          JSON.stringify({ metadata: { finalizers } }),
        ]);
      const core = cluster.kc.makeApiClient(CoreV1Api);
      const evict = async (pod: string) => {
        try {
          await core.createNamespacedPodEviction({
            name: pod,
            namespace: ns.name,
            body: {
              apiVersion: 'policy/v1',
              kind: 'Eviction',
              metadata: { name: pod, namespace: ns.name },
            },
          });
          return { evicted: true, refusal: '' };
        } catch (error) {
          const { code, body } = error as { code?: number; body?: unknown };
          return { evicted: false, refusal: `${code} ${String(body)}` };
        }
      };
      await hold(first!, ['tourkit.dev/test-hold']);
      await hold(second!, ['tourkit.dev/test-hold']);
      try {
        const firstResult = await evict(first!);
        const secondResult = await evict(second!);
        expect(firstResult).toEqual({ evicted: true, refusal: '' });
        expect(secondResult.evicted).toBe(false);
        expect(secondResult.refusal).toMatch(/^429 .*disruption budget/s);
      } finally {
        await hold(first!, []);
        await hold(second!, []);
      }
    });

    it('accepts the booking ScalingSchedule (CRD validation) and grants the operator only what it needs', async () => {
      const schedule = await getJson('scalingschedule', 'booking');
      expect(schedule.spec.windows).toHaveLength(2);
      const as = `--as=system:serviceaccount:${ns.name}:${OPERATOR}`;
      const canI = async (...args: string[]) =>
        (await kubectl(cluster, ['auth', 'can-i', ...args, as])).stdout.trim();
      expect(await canI('patch', 'horizontalpodautoscalers', '-n', ns.name)).toBe('yes');
      expect(
        await canI(
          'patch',
          'scalingschedules.scaling.tourkit.dev',
          '--subresource=status',
          '-n',
          ns.name,
        ),
      ).toBe('yes');
      expect(await canI('create', 'leases.coordination.k8s.io', '-n', ns.name)).toBe('yes');
      expect(await canI('get', 'secrets', '-n', ns.name)).toBe('no');
      expect(await canI('delete', 'horizontalpodautoscalers', '-n', ns.name)).toBe('no');
      // Sleep windows scale a Deployment to zero and back: patch, never create or delete.
      expect(await canI('patch', 'deployments', '-n', ns.name)).toBe('yes');
      expect(await canI('delete', 'deployments', '-n', ns.name)).toBe('no');
      expect(await canI('create', 'deployments', '-n', ns.name)).toBe('no');
      expect(await canI('patch', 'statefulsets', '-n', ns.name)).toBe('no');
    });

    it('gives each service a ServiceAccount without a token and without API rights', async () => {
      for (const name of SERVICE_NAMES) {
        const sa = await getJson('serviceaccount', name);
        expect(sa.automountServiceAccountToken).toBe(false);
        const canI = await kubectl(cluster, [
          'auth',
          'can-i',
          'get',
          'secrets',
          '-n',
          ns.name,
          `--as=system:serviceaccount:${ns.name}:${name}`,
        ]);
        expect(canI.stdout.trim()).toBe('no');
      }
      const pods = (await getJson('pods', '')).items as Json[];
      const catalogPod = pods.find(
        (p) => p.metadata.labels?.['app.kubernetes.io/name'] === 'catalog',
      );
      expect(catalogPod.spec.automountServiceAccountToken).toBe(false);
      expect(catalogPod.spec.volumes.some((v: Json) => v.projected)).toBe(false);
    });
  });
});
