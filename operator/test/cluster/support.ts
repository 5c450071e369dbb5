import { AutoscalingV2Api, CustomObjectsApi, EventsV1Api } from '@kubernetes/client-node';
import {
  createTestNamespace,
  getTestCluster,
  kubectlOrThrow,
  waitFor,
  type TestCluster,
  type TestNamespace,
} from '@tourkit/testenv';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import {
  ScalingScheduleController,
  type ControllerOptions,
} from '../../src/controller/controller.js';
import { GVR, type ScheduleObject } from '../../src/controller/resource.js';
import { bookingSchedule } from '../../src/deploy/manifests.js';

export const clusterStartMs = 60 * 60_000; // a cold first run builds the tools
const crdPaths = ['scalingschedules', 'scalingcalendars'].map((name) =>
  fileURLToPath(new URL(`../../config/crd/${name}.yaml`, import.meta.url)),
);

/** Both CRDs: the controller lists calendars too, and waits until it can. */
export async function installCrd(cluster: TestCluster): Promise<void> {
  await kubectlOrThrow(cluster, [
    'apply',
    '--server-side',
    '--force-conflicts',
    ...crdPaths.flatMap((file) => ['-f', file]),
  ]);
  await kubectlOrThrow(cluster, [
    'wait',
    '--for=condition=Established',
    '--timeout=60s',
    'crd/scalingschedules.scaling.tourkit.dev',
    'crd/scalingcalendars.scaling.tourkit.dev',
  ]);
}

/** A clock that stands at `instant` when created and then runs at normal speed. */
export function clockAt(instant: string): () => Date {
  const offset = Date.parse(instant) - Date.now();
  return () => new Date(Date.now() + offset);
}

/**
 * A clock held at `instant` until `release()`, then running at normal speed from there: a test
 * sees the state before a boundary however slow the machine is, then lets the boundary come.
 */
export function heldClockAt(instant: string): { clock: () => Date; release(): void } {
  const start = Date.parse(instant);
  let releasedAt: number | undefined;
  return {
    clock: () => new Date(releasedAt === undefined ? start : start + Date.now() - releasedAt),
    release: () => {
      releasedAt ??= Date.now();
    },
  };
}

/**
 * A controller that watches only the test's namespace: other test files run controllers (with
 * other clocks) in the same cluster at the same time, and must not reconcile each other's schedules.
 */
export function startController(
  cluster: TestCluster,
  namespace: string,
  options: Partial<ControllerOptions>,
): ScalingScheduleController {
  const controller = new ScalingScheduleController({
    kubeConfig: cluster.kc,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    leaderElection: false,
    boundarySlackMs: 50,
    watchNamespaces: [namespace],
    ...options,
  });
  void controller.start();
  return controller;
}

export function apis(cluster: TestCluster) {
  return {
    autoscaling: cluster.kc.makeApiClient(AutoscalingV2Api),
    custom: cluster.kc.makeApiClient(CustomObjectsApi),
    events: cluster.kc.makeApiClient(EventsV1Api),
  };
}

export function hpaManifest(name: string, minReplicas: number, maxReplicas: number): string {
  return JSON.stringify({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas,
      maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
    },
  });
}

export async function createHpa(
  cluster: TestCluster,
  namespace: string,
  name: string,
  min: number,
  max: number,
) {
  await kubectlOrThrow(cluster, ['apply', '-f', '-'], {
    namespace,
    input: hpaManifest(name, min, max),
  });
}

export async function createBookingSchedule(
  cluster: TestCluster,
  namespace: string,
  name: string,
  hpaName = name,
) {
  await kubectlOrThrow(cluster, ['apply', '-f', '-'], {
    namespace,
    input: JSON.stringify(bookingSchedule({ namespace, name, hpaName })),
  });
}

export async function hpaBounds(cluster: TestCluster, namespace: string, name: string) {
  const hpa = await apis(cluster).autoscaling.readNamespacedHorizontalPodAutoscaler({
    name,
    namespace,
  });
  return [hpa.spec?.minReplicas, hpa.spec?.maxReplicas];
}

export function waitForBounds(
  cluster: TestCluster,
  namespace: string,
  name: string,
  expected: [number, number],
  timeoutMs = 20_000,
) {
  let last = '';
  return waitFor(
    `HPA ${name} at min ${expected[0]}, max ${expected[1]}`,
    async () => {
      const bounds = await hpaBounds(cluster, namespace, name);
      last = JSON.stringify(bounds);
      return bounds[0] === expected[0] && bounds[1] === expected[1] ? bounds : undefined;
    },
    { timeoutMs, intervalMs: 200, lastSeen: () => last },
  );
}

export async function readSchedule(
  cluster: TestCluster,
  namespace: string,
  name: string,
): Promise<ScheduleObject> {
  return (await apis(cluster).custom.getNamespacedCustomObject({
    ...GVR,
    namespace,
    name,
  })) as ScheduleObject;
}

export async function eventsAbout(cluster: TestCluster, namespace: string, name: string) {
  const list = await apis(cluster).events.listNamespacedEvent({ namespace });
  return list.items.filter((e) => e.regarding?.name === name);
}

/**
 * The cluster, the CRDs and a namespace of the test file's own, set up before its tests; the
 * controller a test puts in `controller` is stopped after it, the namespace removed at the end.
 */
export function clusterFixture(prefix: string, testMs: number) {
  const fixture = {} as {
    cluster: TestCluster;
    namespace: TestNamespace;
    controller?: ScalingScheduleController;
  };
  beforeAll(async () => {
    fixture.cluster = await getTestCluster();
    await installCrd(fixture.cluster);
    fixture.namespace = await createTestNamespace(fixture.cluster, prefix);
  }, clusterStartMs);
  afterEach(async () => {
    await fixture.controller?.stop();
    fixture.controller = undefined;
  });
  afterAll(async () => {
    await fixture.namespace?.cleanup();
  }, testMs);
  return fixture;
}
