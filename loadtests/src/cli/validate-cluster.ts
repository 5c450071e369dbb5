/**
 * `make loadtest-cluster`: runs the three k6 scripts at once against a cluster's gateway
 * (port-forwarded to localhost), records the HPAs and Deployments of booking, catalog and user
 * meanwhile, and checks what the traffic profiles promise. Exit code 1 when a threshold or a
 * scaling rule fails.
 *
 *   node loadtests/dist/cli/validate-cluster.js [--namespace tourkit] [--duration 5m]
 *        [--interval 10s] [--settle 30s]       (BASE_URL, default http://127.0.0.1:8080)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { toolAvailable, toolPath } from '@tourkit/testenv';
import { startRecorder } from '../cluster-recorder.js';
import { parseK6Summary, summarizeRun } from '../k6-summary.js';
import { PLATFORM_PROFILES, checkScaling } from '../scaling-rules.js';
import { formatTable, timelineTable, verdictTable } from '../table.js';
import { assertLoopbackTarget, parseDurationSeconds } from './cli-support.js';

const loadtestsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPTS = ['catalog-read-heavy', 'booking-peak', 'user-steady'] as const;

const { values } = parseArgs({
  options: {
    namespace: { type: 'string', default: 'tourkit' },
    duration: { type: 'string', default: '5m' },
    interval: { type: 'string', default: '10s' },
    settle: { type: 'string', default: '30s' },
  },
});
const durationSeconds = parseDurationSeconds('--duration', values.duration);
const intervalSeconds = parseDurationSeconds('--interval', values.interval);
const settleSeconds = parseDurationSeconds('--settle', values.settle);
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
const recorder = startRecorder(kc, {
  namespace: values.namespace,
  workloads: Object.keys(PLATFORM_PROFILES),
  intervalMs: intervalSeconds * 1000,
  onError: (error) => console.error(`  (sampling failed: ${error.message})`),
});
console.log(
  `running ${SCRIPTS.join(', ')} for ${values.duration} each, at once; sampling every ${values.interval}`,
);
const progress = setInterval(
  () => {
    const latest = recorder.samples.slice(-Object.keys(PLATFORM_PROFILES).length);
    const at = latest[0]?.atSeconds ?? 0;
    console.log(
      `  ${at}s  ` +
        latest.map((s) => `${s.workload} ${s.currentReplicas}/${s.desiredReplicas}`).join('  '),
    );
  },
  Math.max(intervalSeconds, 30) * 1000,
);

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
await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
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
const verdicts = checkScaling(samples, PLATFORM_PROFILES, { graceSeconds: 60 });

console.log('\nk6\n' + formatTable(['script', 'requests', 'failed', 'thresholds'], runRows));
console.log(
  '\nreplicas (current/desired [min-max])\n' +
    timelineTable(samples, Object.keys(PLATFORM_PROFILES)),
);
console.log('\nscaling\n' + verdictTable(verdicts));

const ok = exitCodes.every((c) => c === 0) && verdicts.every((v) => v.passed);
console.log(
  ok ? '\nthe platform held its SLOs and scaled as its profiles say' : '\nFAILED (see above)',
);
process.exit(ok ? 0 : 1);
