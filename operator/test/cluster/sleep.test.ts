// Sleep windows on a real control plane: the HPA's Deployment goes to zero for the night and gets
// exactly its replicas back in the morning; the real HPA controller leaves it alone meanwhile; a
// schedule deleted during the sleep wakes it; the CRD refuses a window that is both kinds.
import { kubectl, kubectlOrThrow, waitFor } from '@tourkit/testenv';
import { AppsV1Api } from '@kubernetes/client-node';
import {
  ASLEEP_LABEL,
  MANAGED_BY_ANNOTATION,
  SLEEP_ANNOTATION,
} from '../../src/controller/resource.js';
import {
  apis,
  clockAt,
  clusterFixture,
  createHpa,
  eventsAbout,
  heldClockAt,
  readSchedule,
  startController,
} from './support.js';

// Thursday 11 June 2026, Paris (CEST, UTC+2): 01:00 is in the night window, 07:00 ends it.
const THURSDAY_1AM = '2026-06-10T23:00:00Z';
const THURSDAY_BEFORE_7AM = '2026-06-11T04:59:50Z';
const testMs = 120_000;

const fixture = clusterFixture('opsleep', testMs);

const apps = () => fixture.cluster.kc.makeApiClient(AppsV1Api);
const readDeployment = (name: string) =>
  apps().readNamespacedDeployment({ name, namespace: fixture.namespace.name });

async function createDeployment(name: string, replicas: number) {
  await kubectlOrThrow(fixture.cluster, ['apply', '-f', '-'], {
    namespace: fixture.namespace.name,
    input: JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'registry.k8s.io/pause:3.10',
                resources: { requests: { cpu: '100m', memory: '16Mi' } },
              },
            ],
          },
        },
      },
    }),
  });
}

async function createSleepySchedule(name: string) {
  await kubectlOrThrow(fixture.cluster, ['apply', '-f', '-'], {
    namespace: fixture.namespace.name,
    input: JSON.stringify({
      apiVersion: 'scaling.tourkit.dev/v1alpha1',
      kind: 'ScalingSchedule',
      metadata: { name },
      spec: {
        targetRef: { kind: 'HorizontalPodAutoscaler', name },
        timeZone: 'Europe/Paris',
        default: { minReplicas: 2, maxReplicas: 6 },
        windows: [
          {
            name: 'night',
            days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
            start: '22:00',
            end: '07:00',
            replicas: 0,
          },
        ],
      },
    }),
  });
}

async function waitForReplicas(name: string, replicas: number, timeoutMs = 30_000) {
  let last = '';
  return waitFor(
    `Deployment ${name} at ${replicas} replicas`,
    async () => {
      const deployment = await readDeployment(name);
      last = JSON.stringify({
        replicas: deployment.spec?.replicas,
        labels: deployment.metadata?.labels,
      });
      return deployment.spec?.replicas === replicas ? deployment : undefined;
    },
    { timeoutMs, intervalMs: 200, lastSeen: () => last },
  );
}

test(
  'asleep at night with its replicas recorded, the HPA idle; woken at 07:00 with exactly those replicas',
  async () => {
    const ns = fixture.namespace.name;
    await createDeployment('web', 3);
    await createHpa(fixture.cluster, ns, 'web', 2, 6);
    await createSleepySchedule('web');
    const time = heldClockAt(THURSDAY_BEFORE_7AM);
    fixture.controller = startController(fixture.cluster, ns, { clock: time.clock });

    const asleep = await waitForReplicas('web', 0);
    expect(asleep.metadata?.labels?.[ASLEEP_LABEL]).toBe('true');
    expect(JSON.parse(asleep.metadata!.annotations![SLEEP_ANNOTATION]!)).toMatchObject({
      schedule: 'web',
      replicas: 3,
    });
    const status = await waitFor('status.sleep', async () => {
      const s = await readSchedule(fixture.cluster, ns, 'web');
      return s.status?.sleep ? s.status : undefined;
    });
    expect(status).toMatchObject({
      activeWindow: 'night (sleep)',
      sleep: { deployment: 'web', replicasBefore: 3 },
    });
    // The HPA is adopted (its record), its bounds untouched; the HPA controller stands still
    // in front of a target at zero.
    const hpa = await apis(fixture.cluster).autoscaling.readNamespacedHorizontalPodAutoscaler({
      name: 'web',
      namespace: ns,
    });
    expect([hpa.spec?.minReplicas, hpa.spec?.maxReplicas]).toEqual([2, 6]);
    expect(hpa.metadata?.annotations?.[MANAGED_BY_ANNOTATION]).toBe('web');
    await waitFor(
      'the HPA controller reports ScalingDisabled',
      async () => {
        const h = await apis(fixture.cluster).autoscaling.readNamespacedHorizontalPodAutoscaler({
          name: 'web',
          namespace: ns,
        });
        return h.status?.conditions?.find(
          (c) => c.type === 'ScalingActive' && c.reason === 'ScalingDisabled',
        );
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    expect((await readDeployment('web')).spec?.replicas).toBe(0);

    time.release(); // 10 s later: 07:00 in Paris
    const awake = await waitForReplicas('web', 3, 40_000);
    expect(awake.metadata?.labels?.[ASLEEP_LABEL]).toBeUndefined();
    expect(awake.metadata?.annotations?.[SLEEP_ANNOTATION]).toBeUndefined();
    const after = await waitFor('status without sleep', async () => {
      const s = await readSchedule(fixture.cluster, ns, 'web');
      return s.status?.activeWindow === 'default' ? s.status : undefined;
    });
    expect(after.sleep).toBeUndefined();
    expect(after.appliedBounds).toEqual({ minReplicas: 2, maxReplicas: 6 });
    // Events are sent after the status write, off the reconcile path: waited for, not read once.
    await waitFor('the sleep and wake Events', async () => {
      const notes = (await eventsAbout(fixture.cluster, ns, 'web')).map((e) => e.note ?? '');
      return notes.some((n) => n.includes('Deployment web scaled to 0')) &&
        notes.some((n) => n.includes('Deployment web woken: 3 replicas'))
        ? notes
        : undefined;
    });
  },
  testMs,
);

test(
  'a schedule deleted during the sleep wakes its Deployment, and nothing holds the deletion',
  async () => {
    const ns = fixture.namespace.name;
    await createDeployment('api', 4);
    await createHpa(fixture.cluster, ns, 'api', 1, 5);
    await createSleepySchedule('api');
    fixture.controller = startController(fixture.cluster, ns, { clock: clockAt(THURSDAY_1AM) });
    await waitForReplicas('api', 0);

    const deleted = await kubectl(
      fixture.cluster,
      ['delete', 'scalingschedule/api', '--wait=true', '--timeout=20s'],
      { namespace: ns },
    );
    expect(deleted).toMatchObject({ code: 0 });
    const awake = await waitForReplicas('api', 4);
    expect(awake.metadata?.labels?.[ASLEEP_LABEL]).toBeUndefined();
    const hpa = await apis(fixture.cluster).autoscaling.readNamespacedHorizontalPodAutoscaler({
      name: 'api',
      namespace: ns,
    });
    expect([hpa.spec?.minReplicas, hpa.spec?.maxReplicas]).toEqual([1, 5]);
    expect(hpa.metadata?.annotations?.[MANAGED_BY_ANNOTATION]).toBeUndefined();
  },
  testMs,
);

test(
  'the CRD refuses a window with both replicas: 0 and bounds, naming the rule',
  async () => {
    const result = await kubectl(fixture.cluster, ['apply', '-f', '-'], {
      namespace: fixture.namespace.name,
      input: JSON.stringify({
        apiVersion: 'scaling.tourkit.dev/v1alpha1',
        kind: 'ScalingSchedule',
        metadata: { name: 'both' },
        spec: {
          targetRef: { kind: 'HorizontalPodAutoscaler', name: 'both' },
          timeZone: 'Europe/Paris',
          default: { minReplicas: 2, maxReplicas: 6 },
          windows: [
            {
              name: 'night',
              days: ['Mon'],
              start: '22:00',
              end: '07:00',
              replicas: 0,
              minReplicas: 1,
              maxReplicas: 2,
            },
          ],
        },
      }),
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'a window sets either minReplicas and maxReplicas, or replicas: 0 (a sleep window), not both',
    );
  },
  testMs,
);
