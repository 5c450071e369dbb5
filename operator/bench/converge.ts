// 1,000 ScalingSchedules (BENCH_SCHEDULES) and their HPAs on the test cluster: time to converge,
// API requests per reconcile, resident memory. Baseline in the same run: a restarted controller
// over the converged state (the no-op path) — its requests are what a resync costs.
import { CustomObjectsApi } from '@kubernetes/client-node';
import { createTestNamespace, getTestCluster, kubectl, kubectlOrThrow } from '@tourkit/testenv';
import { pino } from 'pino';
import { ScalingScheduleController } from '../src/controller/controller.js';
import { GVR, type ScheduleObject } from '../src/controller/resource.js';
import { bookingSchedule } from '../src/deploy/manifests.js';
import { hpaManifest, installCrd } from '../test/cluster/support.js';

const count = Number(process.env.BENCH_SCHEDULES ?? 1000);
const cluster = await getTestCluster();
await installCrd(cluster);
const namespace = await createTestNamespace(cluster, 'opbench');
const ns = namespace.name;
const items = Array.from({ length: count }, (_, i) => [
  { ...JSON.parse(hpaManifest(`hpa-${i}`, 1, 3)), metadata: { name: `hpa-${i}`, namespace: ns } },
  bookingSchedule({ namespace: ns, name: `s-${i}`, hpaName: `hpa-${i}` }),
]).flat();
for (let i = 0; i < items.length; i += 500) {
  await kubectlOrThrow(cluster, ['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: items.slice(i, i + 500) }),
  });
}
const custom = cluster.kc.makeApiClient(CustomObjectsApi);
const converged = async () => {
  const list = (await custom.listNamespacedCustomObject({ ...GVR, namespace: ns })) as {
    items: ScheduleObject[];
  };
  return list.items.filter((s) => s.status?.appliedBounds).length;
};

async function run(label: string) {
  const rssBefore = process.memoryUsage().rss;
  const controller = new ScalingScheduleController({
    kubeConfig: cluster.kc,
    log: pino({ level: 'warn' }),
    leaderElection: false,
    watchNamespaces: [ns],
  });
  const started = performance.now();
  void controller.start();
  while ((await converged()) < count) await new Promise((r) => setTimeout(r, 250));
  await new Promise((r) => setTimeout(r, 1000));
  await controller.idle();
  const seconds = (performance.now() - started) / 1000;
  const reconciles = (await controller.metrics.reconciles.get()).values.reduce(
    (sum, v) => sum + v.value,
    0,
  );
  const result = {
    label,
    seconds: +seconds.toFixed(2),
    requests: controller.kubeConfig.total(),
    writes: controller.kubeConfig.writes(),
    reconciles,
    requestsPerSchedule: +(controller.kubeConfig.total() / count).toFixed(2),
    writesPerSchedule: +(controller.kubeConfig.writes() / count).toFixed(2),
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    rssGrowthMiB: Math.round((process.memoryUsage().rss - rssBefore) / 2 ** 20),
  };
  await controller.stop();
  return result;
}

try {
  const first = await run('adopt and apply');
  const again = await run('restart over converged state (baseline: no-op)');
  console.table([first, again]);
  console.log(
    `schedules: ${count}; converge time ratio (adopt / no-op restart): ${(first.seconds / again.seconds).toFixed(1)}x; writes in the no-op run: ${again.writes}`,
  );
} finally {
  const cleaner = new ScalingScheduleController({
    kubeConfig: cluster.kc,
    log: pino({ level: 'silent' }),
    leaderElection: false,
    watchNamespaces: [ns],
  });
  void cleaner.start();
  await kubectl(cluster, ['delete', 'scalingschedules', '--all', '--wait=true', '--timeout=300s'], {
    namespace: ns,
  });
  await cleaner.stop();
  await namespace.cleanup();
}
