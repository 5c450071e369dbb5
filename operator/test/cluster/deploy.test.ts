// Re-deploying after the controller has moved an HPA's bounds: the manifests must not own
// spec.minReplicas/maxReplicas of an HPA a schedule manages. `make deploy` (kubectl server-side
// apply, field manager "tourkit") and `helm upgrade` (Helm 4: server-side apply, manager "helm"),
// each twice, with a transition in between.
import {
  createTestNamespace,
  getTestCluster,
  kubectl,
  kubectlOrThrow,
  toolAvailable,
  toolPath,
  waitFor,
  type TestCluster,
  type TestNamespace,
} from '@tourkit/testenv';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ScalingScheduleController } from '../../src/controller/controller.js';
import { MANAGED_BY_ANNOTATION } from '../../src/controller/resource.js';
import {
  bookingSchedule,
  HPA_INITIAL_FIELD_MANAGER,
  splitScheduledHpa,
} from '../../src/deploy/manifests.js';
import {
  apis,
  clusterStartMs,
  heldClockAt,
  hpaManifest,
  installCrd,
  readSchedule,
  startController,
  waitForBounds,
} from './support.js';

const WEDNESDAY_BEFORE_17H = '2026-06-10T14:59:57Z'; // business hours (5–10), 3 s before nights (2–4)
const testMs = 120_000;
const chartDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../charts/tourkit',
);

let cluster: TestCluster;
let namespace: TestNamespace;
let controller: ScalingScheduleController | undefined;

beforeAll(async () => {
  cluster = await getTestCluster();
  await installCrd(cluster);
  namespace = await createTestNamespace(cluster, 'opdeploy');
}, clusterStartMs);

afterEach(async () => {
  await controller?.stop();
  controller = undefined;
});

afterAll(async () => {
  await namespace?.cleanup();
}, testMs);

function hpa(name: string, cpu: number) {
  const manifest = JSON.parse(hpaManifest(name, 2, 15)) as {
    metadata: Record<string, unknown>;
    spec: { metrics: { resource: { target: { averageUtilization: number } } }[] };
  };
  manifest.metadata.namespace = namespace.name;
  manifest.spec.metrics[0]!.resource.target.averageUtilization = cpu;
  return manifest;
}

/**
 * What `make deploy` runs: create the initial HPA when absent and, right then, force-apply the
 * applied half (taking from the initial HPA's manager everything but the bounds); then apply HPA (no
 * bounds) + schedule.
 */
async function makeDeploy(name: string, cpu: number) {
  const { initial, applied } = splitScheduledHpa(hpa(name, cpu));
  const created = await kubectl(
    cluster,
    ['create', `--field-manager=${HPA_INITIAL_FIELD_MANAGER}`, '-f', '-'],
    { input: JSON.stringify(initial) },
  );
  if (created.code !== 0) expect(created.stderr).toContain('AlreadyExists');
  else
    await kubectlOrThrow(
      cluster,
      [
        'apply',
        '--server-side',
        '--field-manager=tourkit',
        '--force-conflicts',
        '--validate=false',
        '-f',
        '-',
      ],
      { input: JSON.stringify(applied) },
    );
  const schedule = bookingSchedule({ namespace: namespace.name, name, hpaName: name });
  // --validate=false, as make deploy and the Kubernetes docs' ownership transfer: kubectl's
  // client-side check would want maxReplicas in the applied half; the API server still validates
  // the merged object.
  return kubectl(
    cluster,
    ['apply', '--server-side', '--field-manager=tourkit', '--validate=false', '-f', '-'],
    { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [applied, schedule] }) },
  );
}

const readHpa = (name: string, ns = namespace.name) =>
  apis(cluster).autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace: ns });

const fieldsOf = async (name: string, manager: string) => {
  const entry = (await readHpa(name)).metadata?.managedFields?.find((f) => f.manager === manager);
  return Object.keys(
    ((entry?.fieldsV1 ?? {}) as Record<string, Record<string, unknown>>)['f:spec'] ?? {},
  );
};

test(
  'make deploy twice, with a transition in between: the second apply succeeds and leaves the bounds alone',
  async () => {
    const ns = namespace.name;
    const time = heldClockAt(WEDNESDAY_BEFORE_17H);
    controller = startController(cluster, ns, { clock: time.clock });
    const first = await makeDeploy('booking', 70);
    expect([first.code, first.stderr]).toEqual([0, '']);
    await waitForBounds(cluster, ns, 'booking', [5, 10]);
    time.release();
    await waitForBounds(cluster, ns, 'booking', [2, 4]);
    await controller.idle();

    const second = await makeDeploy('booking', 60);
    expect([second.code, second.stderr]).toEqual([0, '']);
    const after = await readHpa('booking');
    expect([after.spec?.minReplicas, after.spec?.maxReplicas]).toEqual([2, 4]);
    expect(after.spec?.metrics?.[0]?.resource?.target.averageUtilization).toBe(60); // applied
    expect(await fieldsOf('booking', 'tourkit')).not.toContain('f:minReplicas');
    expect(await fieldsOf('booking', 'tourkit')).not.toContain('f:maxReplicas');
    expect((await fieldsOf('booking', 'tourkit-scaling-schedule')).sort()).toEqual([
      'f:maxReplicas',
      'f:minReplicas',
    ]);

    // Why the split: the same apply carrying the bounds is refused by the API server.
    const withBounds = await kubectl(
      cluster,
      ['apply', '--server-side', '--field-manager=tourkit', '-f', '-'],
      {
        input: JSON.stringify(hpa('booking', 60)),
      },
    );
    expect(withBounds.code).not.toBe(0);
    expect(withBounds.stderr).toMatch(/conflicts? with "tourkit-scaling-schedule"/);
  },
  testMs,
);

const helmAvailable = toolAvailable('helm');
if (!helmAvailable)
  console.warn('\n!!! SKIPPING the helm upgrade/uninstall test: no helm binary.\n');

async function helm(args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(toolPath('helm'), args, {
      env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath },
      maxBuffer: 16 * 2 ** 20,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    };
  }
}

(helmAvailable ? test : test.skip)(
  'helm install, a transition, helm upgrade twice, helm uninstall: no conflict, nothing stuck',
  async () => {
    // A namespace of its own: the release must own every object it renders.
    const helmNamespace = await createTestNamespace(cluster, 'ophelm');
    const ns = helmNamespace.name;
    const release = 'tk';
    const values = [
      `operator.watchNamespaces={${ns}}`,
      'serviceMonitor.enabled=false',
      'prometheusRules.enabled=false',
      'networkPolicies.enabled=false',
      // Production values render only with the public URL the install gives.
      'publicUrl=https://tours.example.com',
    ].flatMap((v) => ['--set', v]);
    const time = heldClockAt(WEDNESDAY_BEFORE_17H);
    controller = startController(cluster, ns, { clock: time.clock });
    const installed = await helm(['install', release, chartDir, '-n', ns, ...values]);
    expect([installed.code, installed.stderr]).toEqual([0, '']);
    await waitForBounds(cluster, ns, 'booking', [5, 10], 60_000);
    await waitFor('the record on the booking HPA', async () =>
      (await readHpa('booking', ns)).metadata?.annotations?.[MANAGED_BY_ANNOTATION]
        ? true
        : undefined,
    );
    time.release();
    await waitForBounds(cluster, ns, 'booking', [2, 4]);
    await controller.idle();
    for (const cpu of [65, 60]) {
      const upgraded = await helm([
        'upgrade',
        release,
        chartDir,
        '-n',
        ns,
        ...values,
        '--set',
        `services.booking.autoscaling.cpuUtilization=${cpu}`,
      ]);
      expect([upgraded.code, upgraded.stderr]).toEqual([0, '']);
      const after = await readHpa('booking', ns);
      expect([after.spec?.minReplicas, after.spec?.maxReplicas]).toEqual([2, 4]);
      expect(after.spec?.metrics?.[0]?.resource?.target.averageUtilization).toBe(cpu);
    }
    const uninstalled = await helm(['uninstall', release, '-n', ns, '--wait', '--timeout', '60s']);
    expect(uninstalled).toMatchObject({ code: 0 });
    const left = await kubectl(cluster, ['get', 'scalingschedules,hpa', '-o', 'name'], {
      namespace: ns,
    });
    expect(left.stdout.trim()).toBe('');
    await expect(readSchedule(cluster, ns, 'booking')).rejects.toMatchObject({ code: 404 });
    await helmNamespace.cleanup();
  },
  240_000,
);
