/**
 * `make loadtest-cluster`: runs the three k6 scripts at once against a cluster's gateway
 * (port-forwarded to localhost), records the HPAs and Deployments of booking, catalog and user
 * meanwhile, and checks what the traffic profiles promise: bounds, scaling up under the peak, and
 * booking's every step against the step its policy predicts from what its HPA measured. Writes a
 * report (Markdown table, SVG of load, utilization and replicas against time, the raw samples) to
 * loadtests/results/. Exit code 1 when a threshold or a scaling rule fails.
 *
 *   node loadtests/dist/cli/validate-cluster.js [--namespace tourkit] [--duration 5m]
 *        [--interval 2s] [--settle auto|90s] [--hpa-sync-period 15s]
 *        (BASE_URL, default http://127.0.0.1:8080)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AutoscalingV2Api, KubeConfig } from '@kubernetes/client-node';
import { renderSvg } from '@tourkit/observability';
import { toolAvailable, toolPath } from '@tourkit/testenv';
import { startRecorder } from '../cluster-recorder.js';
import { readRequestRate, type RatePoint } from '../k6-rate.js';
import { parseK6Summary, summarizeRun } from '../k6-summary.js';
import { checkAgainstPolicy, checkBehavior, liveTargets } from '../policy-check.js';
import { samplesOf } from '../samples.js';
import { scalingChartSpec, scalingMarkdown } from '../scaling-report.js';
import { PLATFORM_PROFILES, checkScaling } from '../scaling-rules.js';
import { formatTable, timelineTable, verdictTable } from '../table.js';
import { assertLoopbackTarget, parseDurationSeconds } from './cli-support.js';

const loadtestsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPTS = ['catalog-read-heavy', 'booking-peak', 'user-steady'] as const;
/** The workload whose every scaling step is replayed against its policy (the peak-time profile). */
const REPLAYED = 'booking';

const { values } = parseArgs({
  options: {
    namespace: { type: 'string', default: 'tourkit' },
    duration: { type: 'string', default: '5m' },
    interval: { type: 'string', default: '2s' },
    settle: { type: 'string', default: 'auto' },
    // kube-controller-manager's --horizontal-pod-autoscaler-sync-period: a step may be one late.
    'hpa-sync-period': { type: 'string', default: '15s' },
  },
});
const durationSeconds = parseDurationSeconds('--duration', values.duration);
const intervalSeconds = parseDurationSeconds('--interval', values.interval);
const syncSeconds = parseDurationSeconds('--hpa-sync-period', values['hpa-sync-period']);
const replayedProfile = PLATFORM_PROFILES[REPLAYED]!;
// auto: until booking is back at its minimum, bounded by what its scale-down policy needs from the
// highest count of the run (the window, then one period per policy step, and a minute to spare).
const settleSeconds =
  values.settle === 'auto' ? undefined : parseDurationSeconds('--settle', values.settle);
const baseUrl = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
assertLoopbackTarget(baseUrl, process.env.ALLOW_NON_LOOPBACK === '1');

const kc = new KubeConfig();
kc.loadFromDefault();
console.log(
  `cluster: context ${kc.getCurrentContext()}, namespace ${values.namespace}; target ${baseUrl}`,
);

try {
  const ready = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(5000) });
  if (!ready.ok) throw new Error(`status ${ready.status}`);
} catch (error) {
  console.error(
    `the gateway is not ready at ${baseUrl}/readyz (${(error as Error).message}).\n` +
      `Port-forward it first: kubectl -n ${values.namespace} port-forward svc/gateway 8080:8080`,
  );
  process.exit(2);
}

const k6 = toolPath('k6');
if (!toolAvailable('k6')) {
  console.error(`k6 is not built (${k6}): run hack/tools/build.sh k6 (or make cluster-tools)`);
  process.exit(2);
}

const resultsDir = path.join(loadtestsDir, 'results');
mkdirSync(resultsDir, { recursive: true });
const liveHpa = (
  await kc.makeApiClient(AutoscalingV2Api).listNamespacedHorizontalPodAutoscaler({
    namespace: values.namespace,
  })
).items.find((h) => h.spec.scaleTargetRef.name === REPLAYED);
const startedAt = new Date().toISOString();
const recorder = startRecorder(kc, {
  namespace: values.namespace,
  workloads: Object.keys(PLATFORM_PROFILES),
  intervalMs: intervalSeconds * 1000,
  onError: (error) => console.error(`  (sampling failed: ${error.message})`),
});
console.log(
  `running ${SCRIPTS.join(', ')} for ${values.duration} each, at once; sampling every ${values.interval}`,
);
const progressLine = () => {
  const latest = recorder.samples.slice(-Object.keys(PLATFORM_PROFILES).length);
  const at = latest[0]?.atSeconds ?? 0;
  return (
    `  ${at}s  ` +
    latest
      .map((s) => {
        const metrics = (s.metrics ?? []).map((m) => `${m.name} ${m.utilization}%`).join(' ');
        const bounds = s.source === 'hpa' ? ` [${s.minReplicas}-${s.maxReplicas}]` : '';
        return `${s.workload} ${s.currentReplicas}→${s.desiredReplicas}${bounds}${metrics ? ` (${metrics})` : ''}`;
      })
      .join('  ')
  );
};
const progress = setInterval(() => console.log(progressLine()), 30_000);

const exitCodes = await Promise.all(
  SCRIPTS.map(
    (script) =>
      new Promise<number>((resolve) => {
        const child = spawn(
          k6,
          [
            'run',
            '--quiet',
            '--address',
            '',
            '--summary-export',
            path.join(resultsDir, `cluster-${script}.json`),
            '--out',
            `csv=${path.join(resultsDir, `cluster-${script}.csv`)}`,
            path.join(loadtestsDir, 'scripts', `${script}.js`),
          ],
          {
            env: {
              ...process.env,
              BASE_URL: baseUrl,
              DURATION: `${durationSeconds}s`,
              K6_NO_USAGE_REPORT: 'true',
            },
            stdio: ['ignore', 'ignore', 'inherit'],
          },
        );
        child.on('exit', (code) => resolve(code ?? 1));
      }),
  ),
);
const loadEndedAt = Math.round((Date.now() - recorder.startedAtMs) / 1000);
await settle();
clearInterval(progress);
const samples = await recorder.stop();

const runRows = SCRIPTS.map((script, i) => {
  try {
    const file = path.join(resultsDir, `cluster-${script}.json`);
    const run = summarizeRun(parseK6Summary(readFileSync(file, 'utf8'), file));
    const failed = run.thresholds
      .filter((t) => !t.passed)
      .map((t) => `${t.metric} ${t.expression}`);
    return [
      script,
      String(run.requests),
      `${(run.failedRequestRate * 100).toFixed(2)} %`,
      failed.length === 0 ? 'all passed' : `FAILED: ${failed.join('; ')}`,
    ];
  } catch (error) {
    return [script, '-', '-', `no summary (k6 exit ${exitCodes[i]}): ${(error as Error).message}`];
  }
});
const replayedSeries = samplesOf(samples, REPLAYED);
// A step may be one HPA sync late, and the replay sees the metrics the HPA acted on up to one
// sample late (it reads them from the HPA's status, recorded every interval): the first run on the
// real node (2026-12-08) had both scale-up steps 6 s before the replay's, with a 5 s sync and 2 s
// samples.
const toleranceSeconds = syncSeconds + intervalSeconds;
// The live HPA's targets: on a small node they are the profile's scaled to the shrunk CPU requests.
const policy = checkAgainstPolicy(
  REPLAYED,
  replayedSeries,
  replayedProfile,
  toleranceSeconds,
  liveHpa?.spec.metrics ? liveTargets(liveHpa.spec.metrics) : undefined,
);
const verdicts = [
  ...checkScaling(samples, PLATFORM_PROFILES, { graceSeconds: 60 }),
  ...checkBehavior(REPLAYED, replayedProfile, liveHpa?.spec.behavior),
  ...policy.verdicts,
];
const rates: Record<string, RatePoint[]> = {};
for (const script of SCRIPTS) {
  try {
    rates[script] = await readRequestRate(
      path.join(resultsDir, `cluster-${script}.csv`),
      recorder.startedAtMs,
      Math.max(intervalSeconds, 5),
    );
  } catch (error) {
    console.error(`  (no request rate for ${script}: ${(error as Error).message})`);
  }
}
const reportInput = {
  workload: REPLAYED,
  samples: replayedSeries,
  replay: policy.replay,
  matches: policy.matches,
  rates,
  targets: policy.targets,
  toleranceSeconds,
  startedAt,
  description:
    `${SCRIPTS.join(', ')} at once for ${durationSeconds} s (load ended at ${loadEndedAt} s), ` +
    `namespace ${values.namespace}, context ${kc.getCurrentContext()}; sampled every ${intervalSeconds} s.`,
};
const reportBase = path.join(resultsDir, 'cluster-scaling');
writeFileSync(`${reportBase}.md`, scalingMarkdown(reportInput));
writeFileSync(`${reportBase}.svg`, await renderSvg(scalingChartSpec(reportInput)));
writeFileSync(`${reportBase}.json`, JSON.stringify({ ...reportInput, verdicts }, null, 2));

console.log('\nk6\n' + formatTable(['script', 'requests', 'failed', 'thresholds'], runRows));
console.log(
  '\nreplicas (current/desired [min-max])\n' +
    timelineTable(samples, Object.keys(PLATFORM_PROFILES)),
);
console.log('\nscaling\n' + verdictTable(verdicts));
console.log(
  `\nreport: ${reportBase}.md (timeline and steps), ${reportBase}.svg (load, utilization, replicas), ${reportBase}.json`,
);

const ok = exitCodes.every((c) => c === 0) && verdicts.every((v) => v.passed);
console.log(
  ok ? '\nthe platform held its SLOs and scaled as its profiles say' : '\nFAILED (see above)',
);
process.exit(ok ? 0 : 1);

/** After the load: a fixed time, or (auto) until the replayed workload is back at its minimum. */
async function settle(): Promise<void> {
  if (settleSeconds !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
    return;
  }
  const series = () => samplesOf(recorder.samples, REPLAYED);
  const highest = Math.max(1, ...series().map((s) => s.desiredReplicas));
  const down = replayedProfile.autoscaling?.behavior?.scaleDown;
  const stepSeconds = Math.max(...(down?.policies ?? []).map((p) => p.periodSeconds), 15);
  const boundSeconds = (down?.stabilizationWindowSeconds ?? 300) + highest * stepSeconds + 60;
  console.log(
    `load over; recording until ${REPLAYED} is back at its minimum (at most ${boundSeconds} s: its scale-down policy from ${highest} pods)`,
  );
  const deadline = Date.now() + boundSeconds * 1000;
  while (Date.now() < deadline) {
    const last = series().at(-1);
    if (
      last &&
      last.currentReplicas <= (last.minReplicas ?? 1) &&
      last.desiredReplicas <= (last.minReplicas ?? 1)
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, intervalSeconds * 1000));
  }
}
