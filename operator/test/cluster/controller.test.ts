// The controller against a real control plane (hack/cluster, or any cluster KUBECONFIG names).
import {
  createTestNamespace,
  getTestCluster,
  kubectl,
  kubectlOrThrow,
  waitFor,
  type TestCluster,
  type TestNamespace,
} from '@tourkit/testenv';
import { ScalingScheduleController } from '../../src/controller/controller.js';
import {
  LEGACY_FINALIZER,
  MANAGED_BY_ANNOTATION,
  ORIGINAL_BOUNDS_ANNOTATION,
} from '../../src/controller/resource.js';
import { bookingScheduleSpec, operatorClusterRules } from '../../src/deploy/manifests.js';
import {
  apis,
  clockAt,
  clusterStartMs,
  createBookingSchedule,
  createHpa,
  eventsAbout,
  heldClockAt,
  installCrd,
  readSchedule,
  startController,
  waitForBounds,
} from './support.js';

// Instants in Europe/Paris (summer time, +02:00).
const WEDNESDAY_NOON = '2026-06-10T10:00:00Z'; // business hours: 5–10
const WEDNESDAY_BEFORE_17H = '2026-06-10T14:59:56Z'; // 4 s before business hours end: 2–4
const SATURDAY_NOON = '2026-06-13T10:00:00Z'; // weekend: 7–15
const testMs = 90_000;

let cluster: TestCluster;
let namespace: TestNamespace;
let controller: ScalingScheduleController | undefined;

beforeAll(async () => {
  cluster = await getTestCluster();
  await installCrd(cluster);
  namespace = await createTestNamespace(cluster, 'operator');
}, clusterStartMs);

afterEach(async () => {
  await controller?.stop();
  controller = undefined;
});

afterAll(async () => {
  // No finalizer on a schedule: the namespace goes without a controller's help.
  await namespace?.cleanup();
}, testMs);

test(
  'a new schedule sets the HPA bounds and records the originals',
  async () => {
    const ns = namespace.name;
    await createHpa(cluster, ns, 'created', 1, 3);
    controller = startController(cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });
    await createBookingSchedule(cluster, ns, 'created');
    await waitForBounds(cluster, ns, 'created', [5, 10]);
    const schedule = await waitFor('status of the schedule', async () => {
      const s = await readSchedule(cluster, ns, 'created');
      return s.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
        ? s
        : undefined;
    });
    // No finalizer: nothing can hold the schedule's deletion. The record is on the HPA.
    expect(schedule.metadata?.finalizers ?? []).toEqual([]);
    expect(schedule.status).toMatchObject({
      activeWindow: 'business-hours',
      appliedBounds: { minReplicas: 5, maxReplicas: 10 },
      originalBounds: { minReplicas: 1, maxReplicas: 3 },
      nextTransition: '2026-06-10T15:00:00.000Z',
      observedGeneration: schedule.metadata?.generation,
    });
    // Only min/max and the record are ours: the HPA's metrics and target stay with their manager.
    const hpa = await apis(cluster).autoscaling.readNamespacedHorizontalPodAutoscaler({
      name: 'created',
      namespace: ns,
    });
    expect(hpa.metadata?.annotations).toMatchObject({
      [MANAGED_BY_ANNOTATION]: 'created',
      [ORIGINAL_BOUNDS_ANNOTATION]: '{"minReplicas":1,"maxReplicas":3}',
    });
    const ours = hpa.metadata?.managedFields?.find((f) => f.manager === 'tourkit-scaling-schedule');
    const fields = ours?.fieldsV1 as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(fields['f:spec']!).sort()).toEqual(['f:maxReplicas', 'f:minReplicas']);
    expect(Object.keys(fields['f:metadata']!['f:annotations']!).sort()).toEqual([
      `f:${MANAGED_BY_ANNOTATION}`,
      `f:${ORIGINAL_BOUNDS_ANNOTATION}`,
    ]);
    expect(hpa.spec?.metrics?.[0]?.resource?.target.averageUtilization).toBe(70);
    const printed = await kubectl(cluster, ['get', 'scalingschedules', 'created'], {
      namespace: ns,
    });
    expect(printed.stdout).toMatch(/TARGET\s+WINDOW\s+MIN\s+MAX\s+ASLEEP\s+NEXT/);
    expect(printed.stdout).toMatch(/created\s+business-hours\s+5\s+10/);
  },
  testMs,
);

test(
  'a namespace-scoped controller leaves schedules in other namespaces alone',
  async () => {
    const ns = namespace.name;
    const other = await createTestNamespace(cluster, 'operator-other');
    try {
      await createHpa(cluster, other.name, 'elsewhere', 1, 3);
      await createBookingSchedule(cluster, other.name, 'elsewhere');
      await createHpa(cluster, ns, 'scoped', 1, 3);
      controller = startController(cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });
      await createBookingSchedule(cluster, ns, 'scoped');
      await waitForBounds(cluster, ns, 'scoped', [5, 10]);
      await controller.idle();
      const elsewhere = await readSchedule(cluster, other.name, 'elsewhere');
      expect(elsewhere.status).toBeUndefined();
      expect(await waitForBounds(cluster, other.name, 'elsewhere', [1, 3])).toEqual([1, 3]);
    } finally {
      await other.cleanup();
    }
  },
  testMs,
);

test(
  'crossing a boundary changes the bounds and writes an Event',
  async () => {
    const ns = namespace.name;
    await createHpa(cluster, ns, 'boundary', 1, 3);
    const time = heldClockAt(WEDNESDAY_BEFORE_17H);
    controller = startController(cluster, ns, { clock: time.clock });
    await createBookingSchedule(cluster, ns, 'boundary');
    await waitForBounds(cluster, ns, 'boundary', [5, 10]);
    time.release();
    await waitForBounds(cluster, ns, 'boundary', [2, 4]);
    await waitFor('a Transition event', async () => {
      const found = (await eventsAbout(cluster, ns, 'boundary')).filter(
        (e) => e.reason === 'Transition',
      );
      return found.length > 0 ? found : undefined;
    });
    // One boundary crossed, one transition: a second one would mean a fight over the HPA.
    await controller.idle();
    const after = (await eventsAbout(cluster, ns, 'boundary')).filter(
      (e) => e.reason === 'Transition',
    );
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      type: 'Normal',
      reportingController: 'scaling.tourkit.dev/scaling-schedule-controller',
      note: 'business-hours → default: min 5, max 10 → min 2, max 4',
    });
    const lag = await controller.metrics.transitionLag.get();
    expect(lag.values.find((v) => v.metricName?.endsWith('_count'))?.value).toBeGreaterThanOrEqual(
      1,
    );
  },
  testMs,
);

test(
  'a ramp moves the bounds in steps after a boundary; the API server refuses a bad ramp by name',
  async () => {
    const ns = namespace.name;
    await createHpa(cluster, ns, 'ramped', 1, 3);
    const time = heldClockAt(WEDNESDAY_BEFORE_17H);
    controller = startController(cluster, ns, { clock: time.clock });
    const schedule = (ramp: unknown) =>
      JSON.stringify({
        apiVersion: 'scaling.tourkit.dev/v1alpha1',
        kind: 'ScalingSchedule',
        metadata: { name: 'ramped', namespace: ns },
        spec: { ...bookingScheduleSpec('ramped'), ramp },
      });
    const refused = await kubectl(cluster, ['apply', '-f', '-'], {
      input: schedule({ duration: '7h', steps: 2 }),
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('spec.ramp.duration: Invalid value');
    expect(refused.stderr).toContain('ramp.duration must be from 1m to 6h');
    // 5–10 → 2–4 at 17:00 in 2 steps 30 s apart: 4–7 at once (rounded up), 2–4 after 30 s.
    await kubectlOrThrow(cluster, ['apply', '-f', '-'], {
      input: schedule({ duration: '1m', steps: 2 }),
    });
    await waitForBounds(cluster, ns, 'ramped', [5, 10]);
    time.release();
    await waitForBounds(cluster, ns, 'ramped', [4, 7]);
    const midway = await waitFor('the ramp in the status', async () => {
      const s = await readSchedule(cluster, ns, 'ramped');
      return s.status?.activeWindow === 'default (ramp 1/2)' ? s : undefined;
    });
    expect(midway.status?.nextTransition).toBe('2026-06-10T15:00:30.000Z');
    await waitForBounds(cluster, ns, 'ramped', [2, 4], 60_000);
  },
  testMs,
);

test(
  'a foreign edit is reported as Drifted, then corrected',
  async () => {
    const ns = namespace.name;
    await createHpa(cluster, ns, 'drift', 1, 3);
    controller = startController(cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });
    await createBookingSchedule(cluster, ns, 'drift');
    await waitForBounds(cluster, ns, 'drift', [5, 10]);
    const edit = await kubectl(
      cluster,
      ['patch', 'hpa', 'drift', '--type=merge', '-p', '{"spec":{"minReplicas":3}}'],
      { namespace: ns },
    );
    expect(edit.code).toBe(0);
    const drifted = await waitFor('Drifted=True', async () => {
      const s = await readSchedule(cluster, ns, 'drift');
      return s.status?.conditions?.find((c) => c.type === 'Drifted' && c.status === 'True');
    });
    expect(drifted.reason).toBe('ForeignEdit');
    expect(drifted.message).toMatch(/kubectl.* set min 3, max 10/);
    await waitForBounds(cluster, ns, 'drift', [5, 10]);
  },
  testMs,
);

test(
  'deleting the schedule restores the original bounds',
  async () => {
    const ns = namespace.name;
    await createHpa(cluster, ns, 'restore', 2, 6);
    controller = startController(cluster, ns, { clock: clockAt(SATURDAY_NOON) });
    await createBookingSchedule(cluster, ns, 'restore');
    await waitForBounds(cluster, ns, 'restore', [7, 15]);
    const deleted = await kubectl(
      cluster,
      ['delete', 'scalingschedule', 'restore', '--wait=true', '--timeout=30s'],
      { namespace: ns },
    );
    expect(deleted.code).toBe(0);
    await waitForBounds(cluster, ns, 'restore', [2, 6]);
    const hpa = await apis(cluster).autoscaling.readNamespacedHorizontalPodAutoscaler({
      name: 'restore',
      namespace: ns,
    });
    expect(hpa.metadata?.annotations?.[MANAGED_BY_ANNOTATION]).toBeUndefined();
  },
  testMs,
);

test(
  'a schedule left by a pre-0.2 controller loses its finalizer and keeps its recorded originals',
  async () => {
    const ns = namespace.name;
    // What 0.1 left: the HPA at the window's bounds, the originals and a finalizer on the schedule.
    await createHpa(cluster, ns, 'legacy', 5, 10);
    await createBookingSchedule(cluster, ns, 'legacy');
    await kubectlOrThrow(
      cluster,
      [
        'patch',
        'scalingschedule',
        'legacy',
        '--type=merge',
        '-p',
        JSON.stringify({
          metadata: {
            finalizers: [LEGACY_FINALIZER],
            annotations: { [ORIGINAL_BOUNDS_ANNOTATION]: '{"minReplicas":1,"maxReplicas":3}' },
          },
        }),
      ],
      { namespace: ns },
    );
    await kubectlOrThrow(
      cluster,
      [
        'patch',
        'scalingschedule',
        'legacy',
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify({
          status: {
            activeWindow: 'business-hours',
            activeSource: 'window',
            appliedBounds: { minReplicas: 5, maxReplicas: 10 },
            desiredBounds: { minReplicas: 5, maxReplicas: 10 },
          },
        }),
      ],
      { namespace: ns },
    );
    controller = startController(cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });
    const hpa = await waitFor('the record on the HPA', async () => {
      const h = await apis(cluster).autoscaling.readNamespacedHorizontalPodAutoscaler({
        name: 'legacy',
        namespace: ns,
      });
      return h.metadata?.annotations?.[MANAGED_BY_ANNOTATION] ? h : undefined;
    });
    expect(hpa.metadata?.annotations?.[ORIGINAL_BOUNDS_ANNOTATION]).toBe(
      '{"minReplicas":1,"maxReplicas":3}',
    );
    await waitFor('the legacy finalizer gone', async () =>
      (await readSchedule(cluster, ns, 'legacy')).metadata?.finalizers?.length ? undefined : true,
    );
    await kubectlOrThrow(cluster, ['delete', 'scalingschedule', 'legacy', '--timeout=30s'], {
      namespace: ns,
    });
    await waitForBounds(cluster, ns, 'legacy', [1, 3]);
  },
  testMs,
);

test(
  'the API server rejects an invalid schedule with a readable message',
  async () => {
    const ns = namespace.name;
    const invalid = {
      apiVersion: 'scaling.tourkit.dev/v1alpha1',
      kind: 'ScalingSchedule',
      metadata: { name: 'invalid' },
      spec: {
        targetRef: { kind: 'HorizontalPodAutoscaler', name: 'x' },
        timeZone: 'Europe/Paris',
        default: { minReplicas: 4, maxReplicas: 2 },
        windows: [
          {
            name: 'a',
            days: ['Mon', 'Funday'],
            start: '9h',
            end: '17:00',
            minReplicas: 1,
            maxReplicas: 2,
          },
        ],
      },
    };
    const rejected = await kubectl(cluster, ['apply', '-f', '-'], {
      namespace: ns,
      input: JSON.stringify(invalid),
    });
    expect(rejected.code).not.toBe(0);
    expect(rejected.stderr).toMatch(/spec\.windows\[0\]\.start: Invalid value: "9h"/);
    expect(rejected.stderr).toMatch(/spec\.windows\[0\]\.days\[1\]: Unsupported value: "Funday"/);
    // CEL rules run once the schema errors are gone.
    const minAboveMax = { ...invalid, spec: { ...invalid.spec, windows: [] } };
    const cel = await kubectl(cluster, ['apply', '-f', '-'], {
      namespace: ns,
      input: JSON.stringify(minAboveMax),
    });
    expect(cel.stderr).toContain('spec.default.minReplicas: Invalid value');
    expect(cel.stderr).toContain('minReplicas must be less than or equal to maxReplicas');

    const window = (name: string, start: string, end: string) => ({
      name,
      days: ['Mon'],
      start,
      end,
      minReplicas: 1,
      maxReplicas: 2,
    });
    const overlapping = {
      ...invalid,
      spec: {
        ...invalid.spec,
        default: { minReplicas: 1, maxReplicas: 2 },
        windows: [window('a', '22:00', '02:00'), window('b', '23:00', '23:30')],
      },
    };
    const overlap = await kubectl(cluster, ['apply', '-f', '-'], {
      namespace: ns,
      input: JSON.stringify(overlapping),
    });
    expect(overlap.stderr).toContain('two windows of equal priority overlap');
    const disjoint = {
      ...overlapping,
      spec: {
        ...overlapping.spec,
        windows: [window('a', '22:00', '02:00'), window('b', '02:00', '03:00')],
      },
    };
    const accepted = await kubectl(cluster, ['apply', '--dry-run=server', '-f', '-'], {
      namespace: ns,
      input: JSON.stringify(disjoint),
    });
    expect(accepted).toMatchObject({ code: 0 });
  },
  testMs,
);

test(
  'an unknown time zone passes the API server but the controller reports Degraded',
  async () => {
    const ns = namespace.name;
    await createHpa(cluster, ns, 'zone', 1, 3);
    controller = startController(cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });
    const schedule = {
      apiVersion: 'scaling.tourkit.dev/v1alpha1',
      kind: 'ScalingSchedule',
      metadata: { name: 'zone' },
      spec: {
        targetRef: { kind: 'HorizontalPodAutoscaler', name: 'zone' },
        timeZone: 'Europe/Atlantis',
        default: { minReplicas: 2, maxReplicas: 4 },
      },
    };
    expect(
      (
        await kubectl(cluster, ['apply', '-f', '-'], {
          namespace: ns,
          input: JSON.stringify(schedule),
        })
      ).code,
    ).toBe(0);
    const degraded = await waitFor('Degraded=True', async () => {
      const s = await readSchedule(cluster, ns, 'zone');
      return s.status?.conditions?.find((c) => c.type === 'Degraded' && c.status === 'True');
    });
    expect(degraded).toMatchObject({
      reason: 'InvalidSpec',
      message: 'spec.timeZone: unknown time zone (not in the IANA tz database)',
    });
    expect(await waitForBounds(cluster, ns, 'zone', [1, 3])).toEqual([1, 3]);
  },
  testMs,
);

test(
  'a controller restarted mid-window applies the right bounds at once',
  async () => {
    const ns = namespace.name;
    await createHpa(cluster, ns, 'restart', 1, 3);
    controller = startController(cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });
    await createBookingSchedule(cluster, ns, 'restart');
    await waitForBounds(cluster, ns, 'restart', [5, 10]);
    await controller.stop();
    // Down across a boundary: no "missed cron" — the new process computes from the clock.
    controller = startController(cluster, ns, { clock: clockAt(SATURDAY_NOON) });
    await waitForBounds(cluster, ns, 'restart', [7, 15]);
  },
  testMs,
);

test(
  'a no-op reconcile makes no API write',
  async () => {
    const ns = namespace.name;
    await createHpa(cluster, ns, 'noop', 1, 3);
    controller = startController(cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });
    await createBookingSchedule(cluster, ns, 'noop');
    await waitForBounds(cluster, ns, 'noop', [5, 10]);
    await waitFor('the schedule settled', async () =>
      (await readSchedule(cluster, ns, 'noop')).status?.appliedBounds ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await controller.idle();
    const noopsBefore = await noopCount(controller);
    const writesBefore = controller.kubeConfig.writes();
    // Touch the schedule and the HPA without changing anything the controller manages.
    await kubectlOrThrow(cluster, ['label', 'scalingschedule', 'noop', 'touched=yes'], {
      namespace: ns,
    });
    await kubectlOrThrow(cluster, ['label', 'hpa', 'noop', 'touched=yes'], { namespace: ns });
    await waitFor(
      'two reconciles',
      async () => ((await noopCount(controller!)) >= noopsBefore + 2 ? true : undefined),
      { intervalMs: 100 },
    );
    await controller.idle();
    expect(controller.kubeConfig.writes()).toBe(writesBefore);
  },
  testMs,
);

async function noopCount(c: ScalingScheduleController): Promise<number> {
  const metric = await c.metrics.reconciles.get();
  return metric.values.find((v) => v.labels.result === 'noop')?.value ?? 0;
}

test(
  'two instances: one leader, and the other takes over when it stops',
  async () => {
    const ns = namespace.name;
    const election = {
      namespace: ns,
      name: `${ns}-leader`,
      leaseDurationMs: 3_000,
      renewDeadlineMs: 2_000,
      retryPeriodMs: 300,
    };
    const first = startController(cluster, ns, { leaderElection: election, identity: 'first' });
    const second = startController(cluster, ns, { leaderElection: election, identity: 'second' });
    try {
      await waitFor(
        'a leader',
        async () => (first.isLeader || second.isLeader ? true : undefined),
        { intervalMs: 100 },
      );
      for (let i = 0; i < 10; i++) {
        expect([first.isLeader, second.isLeader].filter(Boolean)).toHaveLength(1);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      const [leader, follower] = first.isLeader ? [first, second] : [second, first];
      await leader.stop();
      await waitFor('the follower to lead', async () => (follower.isLeader ? true : undefined), {
        intervalMs: 100,
        timeoutMs: 15_000,
      });
      const lease = await kubectl(
        cluster,
        ['get', 'lease', election.name, '-o', 'jsonpath={.spec.holderIdentity}'],
        { namespace: ns },
      );
      expect(lease.stdout).toBe(follower.identity);
    } finally {
      await first.stop();
      await second.stop();
    }
  },
  testMs,
);

test(
  'RBAC: the ServiceAccount can do what the controller does, and no more',
  async () => {
    const ns = namespace.name;
    const sa = 'scaling-schedule-rbac-test';
    const roleName = `${ns}-scaling-schedule`;
    const objects = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: ns } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: roleName },
        rules: operatorClusterRules(),
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: roleName },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'leases', namespace: ns },
        rules: [
          {
            apiGroups: ['coordination.k8s.io'],
            resources: ['leases'],
            verbs: ['get', 'create', 'update'],
          },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'leases', namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'leases' },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
      },
    ];
    const applied = await kubectl(cluster, ['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
    });
    expect(applied.code).toBe(0);
    try {
      const can = async (...args: string[]) =>
        (
          await kubectl(cluster, [
            'auth',
            'can-i',
            ...args,
            `--as=system:serviceaccount:${ns}:${sa}`,
          ])
        ).stdout.trim();
      expect(await can('patch', 'horizontalpodautoscalers.autoscaling', '-n', ns)).toBe('yes');
      expect(await can('watch', 'scalingschedules.scaling.tourkit.dev', '--all-namespaces')).toBe(
        'yes',
      );
      expect(
        await can(
          'patch',
          'scalingschedules.scaling.tourkit.dev',
          '--subresource=status',
          '-n',
          ns,
        ),
      ).toBe('yes');
      expect(
        await can(
          'update',
          'scalingschedules.scaling.tourkit.dev',
          '--subresource=finalizers',
          '-n',
          ns,
        ),
      ).toBe('no'); // no finalizer any more
      expect(await can('create', 'events.events.k8s.io', '-n', ns)).toBe('yes');
      expect(await can('update', 'leases.coordination.k8s.io', '-n', ns)).toBe('yes');
      expect(await can('update', 'leases.coordination.k8s.io', '-n', 'kube-system')).toBe('no');
      expect(await can('delete', 'horizontalpodautoscalers.autoscaling', '-n', ns)).toBe('no');
      expect(await can('create', 'horizontalpodautoscalers.autoscaling', '-n', ns)).toBe('no');
      expect(await can('get', 'secrets', '-n', ns)).toBe('no');
      expect(await can('delete', 'scalingschedules.scaling.tourkit.dev', '-n', ns)).toBe('no');
      expect(await can('update', 'scalingschedules.scaling.tourkit.dev', '-n', ns)).toBe('no');
    } finally {
      await kubectl(cluster, [
        'delete',
        'clusterrolebinding,clusterrole',
        roleName,
        '--ignore-not-found',
      ]);
    }
  },
  testMs,
);
