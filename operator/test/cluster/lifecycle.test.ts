// The lifecycle of a schedule and its HPA on a real control plane: deletions in every order,
// a deleted target, a moved targetRef, two schedules on one HPA. No finalizer: nothing can stick.
import {
  createTestNamespace,
  getTestCluster,
  kubectl,
  kubectlOrThrow,
  waitFor,
  type TestCluster,
  type TestNamespace,
} from '@tourkit/testenv';
import type { ScalingScheduleController } from '../../src/controller/controller.js';
import {
  MANAGED_BY_ANNOTATION,
  ORIGINAL_BOUNDS_ANNOTATION,
} from '../../src/controller/resource.js';
import {
  apis,
  clockAt,
  clusterStartMs,
  createBookingSchedule,
  createHpa,
  eventsAbout,
  installCrd,
  readSchedule,
  startController,
  waitForBounds,
} from './support.js';

const WEDNESDAY_NOON = '2026-06-10T10:00:00Z'; // business hours in Paris: 5–10
const testMs = 90_000;

let cluster: TestCluster;
let namespace: TestNamespace;
let controller: ScalingScheduleController | undefined;

beforeAll(async () => {
  cluster = await getTestCluster();
  await installCrd(cluster);
  namespace = await createTestNamespace(cluster, 'oplife');
}, clusterStartMs);

afterEach(async () => {
  await controller?.stop();
  controller = undefined;
});

afterAll(async () => {
  await namespace?.cleanup();
}, testMs);

const readHpa = (ns: string, name: string) =>
  apis(cluster).autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace: ns });

const hpaExists = async (ns: string, name: string) =>
  (
    await kubectl(cluster, ['get', 'hpa', name, '--ignore-not-found', '-o', 'name'], {
      namespace: ns,
    })
  ).stdout.trim() !== '';

/** A deletion that completes (exit 0 within the timeout) is one nothing holds. */
async function deleteAndWait(ns: string, ...objects: string[]) {
  const result = await kubectl(cluster, ['delete', ...objects, '--wait=true', '--timeout=20s'], {
    namespace: ns,
  });
  expect(result).toMatchObject({ code: 0 });
}

async function managedSchedule(ns: string, name: string, min = 1, max = 3) {
  await createHpa(cluster, ns, name, min, max);
  await createBookingSchedule(cluster, ns, name);
  await waitForBounds(cluster, ns, name, [5, 10]);
}

describe('deletions, in every order, never block and leave no HPA at scheduled bounds', () => {
  test(
    'the schedule, then the HPA: the HPA is given back first',
    async () => {
      const ns = namespace.name;
      controller = startController(cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });
      await managedSchedule(ns, 'order-a', 2, 6);
      await deleteAndWait(ns, 'scalingschedule/order-a');
      await waitForBounds(cluster, ns, 'order-a', [2, 6]);
      expect((await readHpa(ns, 'order-a')).metadata?.annotations?.[MANAGED_BY_ANNOTATION]).toBe(
        undefined,
      );
      await deleteAndWait(ns, 'hpa/order-a');
    },
    testMs,
  );

  test(
    'the HPA, then the schedule',
    async () => {
      const ns = namespace.name;
      controller = startController(cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });
      await managedSchedule(ns, 'order-b');
      await deleteAndWait(ns, 'hpa/order-b');
      await waitFor('TargetNotFound', async () => {
        const s = await readSchedule(cluster, ns, 'order-b');
        return s.status?.conditions?.find((c) => c.reason === 'TargetNotFound');
      });
      await deleteAndWait(ns, 'scalingschedule/order-b');
      await controller.idle();
      expect(await hpaExists(ns, 'order-b')).toBe(false);
    },
    testMs,
  );

  test(
    'both in one request',
    async () => {
      const ns = namespace.name;
      controller = startController(cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });
      await managedSchedule(ns, 'order-c');
      await deleteAndWait(ns, 'scalingschedule/order-c', 'hpa/order-c');
      await controller.idle();
      expect(await hpaExists(ns, 'order-c')).toBe(false);
    },
    testMs,
  );

  test(
    'the schedule while no controller runs: the HPA is given back when one starts',
    async () => {
      const ns = namespace.name;
      controller = startController(cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });
      await managedSchedule(ns, 'order-d', 2, 6);
      await controller.stop();
      controller = undefined;
      await deleteAndWait(ns, 'scalingschedule/order-d');
      expect((await readHpa(ns, 'order-d')).spec?.maxReplicas).toBe(10); // nobody to restore yet
      controller = startController(cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });
      await waitForBounds(cluster, ns, 'order-d', [2, 6]);
    },
    testMs,
  );

  test(
    'the whole namespace, with the controller running',
    async () => {
      const doomed = await createTestNamespace(cluster, 'oplife-ns');
      controller = startController(cluster, doomed.name, { clock: clockAt(WEDNESDAY_NOON) });
      await managedSchedule(doomed.name, 'order-e');
      await kubectlOrThrow(cluster, ['delete', 'namespace', doomed.name, '--wait=false']);
      const gone = await kubectl(cluster, [
        'wait',
        '--for=delete',
        `namespace/${doomed.name}`,
        '--timeout=60s',
      ]);
      expect(gone.code).toBe(0);
    },
    testMs,
  );
});

test(
  'a deleted target is reported (condition and event); a new HPA of that name is adopted with its own bounds',
  async () => {
    const ns = namespace.name;
    controller = startController(cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });
    await managedSchedule(ns, 'target-gone');
    await deleteAndWait(ns, 'hpa/target-gone');
    const degraded = await waitFor('Degraded=True, TargetNotFound', async () => {
      const s = await readSchedule(cluster, ns, 'target-gone');
      return s.status?.conditions?.find(
        (c) => c.type === 'Degraded' && c.status === 'True' && c.reason === 'TargetNotFound',
      );
    });
    expect(degraded.message).toBe(
      `HorizontalPodAutoscaler target-gone not found in namespace ${ns}`,
    );
    const warning = await waitFor('a TargetNotFound event', async () =>
      (await eventsAbout(cluster, ns, 'target-gone')).find((e) => e.reason === 'TargetNotFound'),
    );
    expect(warning.type).toBe('Warning');
    await createHpa(cluster, ns, 'target-gone', 3, 8);
    await waitForBounds(cluster, ns, 'target-gone', [5, 10]);
    expect(
      (await readHpa(ns, 'target-gone')).metadata?.annotations?.[ORIGINAL_BOUNDS_ANNOTATION],
    ).toBe('{"minReplicas":3,"maxReplicas":8}');
    await waitFor('Ready again', async () => {
      const s = await readSchedule(cluster, ns, 'target-gone');
      return s.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
    });
  },
  testMs,
);

test(
  'a targetRef change gives the old HPA back and adopts the new one with its own original bounds',
  async () => {
    const ns = namespace.name;
    controller = startController(cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });
    await createHpa(cluster, ns, 'moved-old', 1, 3);
    await createHpa(cluster, ns, 'moved-new', 2, 6);
    await createBookingSchedule(cluster, ns, 'moved', 'moved-old');
    await waitForBounds(cluster, ns, 'moved-old', [5, 10]);
    await kubectlOrThrow(
      cluster,
      [
        'patch',
        'scalingschedule',
        'moved',
        '--type=merge',
        '-p',
        '{"spec":{"targetRef":{"name":"moved-new"}}}',
      ],
      { namespace: ns },
    );
    await waitForBounds(cluster, ns, 'moved-new', [5, 10]);
    await waitForBounds(cluster, ns, 'moved-old', [1, 3]);
    expect((await readHpa(ns, 'moved-old')).metadata?.annotations?.[MANAGED_BY_ANNOTATION]).toBe(
      undefined,
    );
    expect((await readHpa(ns, 'moved-new')).metadata?.annotations).toMatchObject({
      [MANAGED_BY_ANNOTATION]: 'moved',
      [ORIGINAL_BOUNDS_ANNOTATION]: '{"minReplicas":2,"maxReplicas":6}',
    });
    const status = await waitFor('the status of the new target', async () => {
      const s = await readSchedule(cluster, ns, 'moved');
      return s.status?.target === 'moved-new' ? s.status : undefined;
    });
    expect(status.originalBounds).toEqual({ minReplicas: 2, maxReplicas: 6 });
    // And deleting the schedule now gives back the NEW target's bounds.
    await deleteAndWait(ns, 'scalingschedule/moved');
    await waitForBounds(cluster, ns, 'moved-new', [2, 6]);
    expect(await waitForBounds(cluster, ns, 'moved-old', [1, 3])).toEqual([1, 3]);
  },
  testMs,
);

test(
  'a second schedule on a managed HPA is refused (TargetClaimed) and changes nothing',
  async () => {
    const ns = namespace.name;
    controller = startController(cluster, ns, { clock: clockAt(WEDNESDAY_NOON) });
    await managedSchedule(ns, 'claimed');
    await createBookingSchedule(cluster, ns, 'claimed-too', 'claimed');
    const claimed = await waitFor('TargetClaimed', async () => {
      const s = await readSchedule(cluster, ns, 'claimed-too');
      return s.status?.conditions?.find((c) => c.reason === 'TargetClaimed');
    });
    expect(claimed.message).toContain('managed by ScalingSchedule claimed');
    expect((await readHpa(ns, 'claimed')).metadata?.annotations?.[MANAGED_BY_ANNOTATION]).toBe(
      'claimed',
    );
    // The first schedule goes: the second takes over with the true originals, not 5–10.
    await deleteAndWait(ns, 'scalingschedule/claimed');
    await waitFor('the record naming claimed-too', async () => {
      const h = await readHpa(ns, 'claimed');
      return h.metadata?.annotations?.[MANAGED_BY_ANNOTATION] === 'claimed-too' ? h : undefined;
    });
    expect((await readHpa(ns, 'claimed')).metadata?.annotations?.[ORIGINAL_BOUNDS_ANNOTATION]).toBe(
      '{"minReplicas":1,"maxReplicas":3}',
    );
  },
  testMs,
);
