// 1,000 ScalingSchedules (BENCH_SCHEDULES) and their HPAs on the test cluster, three runs:
//  1. cold start: a controller adopts every HPA and applies the window (time to converge, writes);
//  2. transition: its clock crosses a boundary for all of them at once (time, writes);
//  3. no-op restart: a new controller over the converged state (time to sync; writes must be 0).
// Convergence is seen through a watch (no polling list competing for the 2 cores).
// Printed beside the figures before this rework (48.1 s, 5 writes per schedule, 582 MiB RSS).
import { CustomObjectsApi, makeInformer, type KubernetesListObject } from '@kubernetes/client-node';
import { createTestNamespace, getTestCluster, kubectlOrThrow } from '@tourkit/testenv';
import { pino } from 'pino';
import { ScalingScheduleController } from '../src/controller/controller.js';
import { GVR, type ScheduleObject } from '../src/controller/resource.js';
import { bookingSchedule } from '../src/deploy/manifests.js';
import { heldClockAt, hpaManifest, installCrd } from '../test/cluster/support.js';

const BEFORE = { seconds: 48.1, writesPerSchedule: 5, rssMiB: 582 };
const count = Number(process.env.BENCH_SCHEDULES ?? 1000);
const concurrency = process.env.BENCH_CONCURRENCY
  ? Number(process.env.BENCH_CONCURRENCY)
  : undefined;
const WEDNESDAY_BEFORE_17H = '2026-06-10T14:59:50Z'; // business hours (5–10) 10 s before nights (2–4)

const cluster = await getTestCluster();
await installCrd(cluster);
const namespace = await createTestNamespace(cluster, 'opbench');
const ns = namespace.name;
// BENCH_TARGETS=idle (the default): every HPA scales one Deployment held at 0 replicas, which
// the HPA controller leaves alone (ScalingDisabled). BENCH_TARGETS=missing: each HPA scales a
// Deployment that does not exist, as before; then the HPA controller (sync every 5 s on the local
// control plane) sends an Event, a status write and scale reads for each of the 1,000 HPAs, about
// four times the requests of the controller under test, on the same API server.
const targets = process.env.BENCH_TARGETS ?? 'idle';
const IDLE = 'bench-idle';
const idleDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: IDLE, namespace: ns },
  spec: {
    replicas: 0,
    selector: { matchLabels: { app: IDLE } },
    template: {
      metadata: { labels: { app: IDLE } },
      spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] },
    },
  },
};
const hpa = (i: number) => {
  const manifest = JSON.parse(hpaManifest(`hpa-${i}`, 1, 3));
  if (targets === 'idle') manifest.spec.scaleTargetRef.name = IDLE;
  return { ...manifest, metadata: { name: `hpa-${i}`, namespace: ns } };
};
const items = [
  ...(targets === 'idle' ? [idleDeployment] : []),
  ...Array.from({ length: count }, (_, i) => [
    hpa(i),
    bookingSchedule({ namespace: ns, name: `s-${i}`, hpaName: `hpa-${i}` }),
  ]).flat(),
];
for (let i = 0; i < items.length; i += 500) {
  await kubectlOrThrow(cluster, ['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: items.slice(i, i + 500) }),
  });
}

// The bench's own view of the schedules, by watch.
const custom = cluster.kc.makeApiClient(CustomObjectsApi);
const watched = makeInformer<ScheduleObject>(
  cluster.kc,
  `/apis/${GVR.group}/${GVR.version}/namespaces/${ns}/${GVR.plural}`,
  async () =>
    (await custom.listNamespacedCustomObject({
      ...GVR,
      namespace: ns,
    })) as KubernetesListObject<ScheduleObject>,
);
await watched.start();
const countWhere = (predicate: (s: ScheduleObject) => boolean) =>
  watched.list().filter(predicate).length;
async function until(predicate: (s: ScheduleObject) => boolean): Promise<void> {
  while (countWhere(predicate) < count) await new Promise((r) => setTimeout(r, 20));
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

/** seconds: until every schedule's status shows the bounds; drained: until every Event is sent too. */
function figures(
  label: string,
  controller: ScalingScheduleController,
  seconds: number,
  drained = seconds,
) {
  const writes = controller.kubeConfig.writes();
  const by = (resource: string) => controller.kubeConfig.writesByResource.get(resource) ?? 0;
  const stateWrites = writes - by('events') - by('leases');
  global.gc?.();
  return {
    run: label,
    seconds: +seconds.toFixed(2),
    'seconds, Events sent': +drained.toFixed(2),
    requests: controller.kubeConfig.total(),
    'writes/schedule': +(writes / count).toFixed(2),
    'state writes/schedule (HPA + status)': +(stateWrites / count).toFixed(2),
    'HPA writes': by('horizontalpodautoscalers'),
    'status writes': by('scalingschedules/status'),
    'other schedule writes': by('scalingschedules'),
    events: by('events'),
    rssMiB: mib(process.memoryUsage().rss),
    heapUsedMiB: mib(process.memoryUsage().heapUsed),
  };
}

function newController(clock: () => Date) {
  return new ScalingScheduleController({
    kubeConfig: cluster.kc,
    log: pino({ level: 'warn' }),
    leaderElection: false,
    watchNamespaces: [ns],
    clock,
    ...(concurrency ? { concurrency } : {}),
  });
}

const results = [];
try {
  const time = heldClockAt(WEDNESDAY_BEFORE_17H);
  const controller = newController(time.clock);
  let started = performance.now();
  void controller.start();
  await until((s) => s.status?.appliedBounds?.maxReplicas === 10);
  let converged = (performance.now() - started) / 1000;
  await controller.idle();
  const coldRequests = new Map(controller.kubeConfig.byVerbAndResource);
  results.push(
    figures(
      'cold start: adopt + apply',
      controller,
      converged,
      (performance.now() - started) / 1000,
    ),
  );

  controller.kubeConfig.resetCounts();
  started = performance.now();
  time.release(); // 10 s later every schedule crosses 17:00
  await until((s) => s.status?.appliedBounds?.maxReplicas === 4);
  converged = (performance.now() - started) / 1000 - 10;
  await controller.idle();
  const transition = figures(
    'transition (17:00, all at once)',
    controller,
    converged,
    (performance.now() - started) / 1000 - 10,
  );
  results.push(transition);
  await controller.stop();

  const restarted = newController(() => new Date(Date.parse('2026-06-10T15:30:00Z')));
  started = performance.now();
  await restarted.start();
  await restarted.idle();
  results.push(
    figures(
      'restart over converged state (no-op)',
      restarted,
      (performance.now() - started) / 1000,
    ),
  );
  await restarted.stop();

  console.table(results);
  console.log('requests of the cold start, by verb and resource:');
  console.table(Object.fromEntries([...coldRequests].sort()));
  const [cold, , noop] = results;
  console.log(
    [
      `schedules: ${count}${concurrency ? `, concurrency ${concurrency}` : ''}, HPA targets: ${targets}`,
      `cold start: bounds applied everywhere in ${cold!.seconds} s, Events all sent at ${cold!['seconds, Events sent']} s (before: ${BEFORE.seconds} s, measured on another day: compare in the same conditions, operator/README.md)`,
      `writes per schedule ${cold!['writes/schedule']} incl. events, ${cold!['state writes/schedule (HPA + status)']} HPA + status (before: ${BEFORE.writesPerSchedule})`,
      `transition: ${transition['state writes/schedule (HPA + status)']} state writes + ${(transition.events / count).toFixed(2)} events per schedule`,
      `no-op restart: ${noop!['writes/schedule']} writes per schedule`,
      `RSS ${cold!.rssMiB} MiB after the cold start (before: ${BEFORE.rssMiB} MiB)`,
    ].join('\n'),
  );
} finally {
  await watched.stop();
  await namespace.cleanup();
}
