#!/usr/bin/env node
/**
 * `make report`: an HTML page of SVG charts (requests, errors, latency percentiles, replicas, CPU,
 * schedule bounds) from Prometheus's range queries over the last load test's window, read from
 * loadtests/results/run.json (loadtests/run.sh writes it), or over --from/--to.
 *
 *   node hack/observability/dist/report-cli.js [--prometheus http://127.0.0.1:9090] [--namespace tourkit]
 *        [--from ISO --to ISO] [--scrape-interval 5s] [--out reports/loadtest.html] [--screenshot file.png]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeReport } from './report/index.js';
import { screenshot } from './report/screenshot.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const RESULTS = path.join(REPO_ROOT, 'loadtests/results');
/** Seconds of traffic before and after the run that the charts also show (the ramp around it). */
const MARGIN_MS = 30_000;

function fail(message: string): never {
  console.error(`make report: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    prometheus: { type: 'string', default: process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090' },
    namespace: { type: 'string', default: 'tourkit' },
    from: { type: 'string' },
    to: { type: 'string' },
    'scrape-interval': { type: 'string', default: '5s' },
    out: { type: 'string', default: path.join(REPO_ROOT, 'reports/loadtest.html') },
    screenshot: { type: 'string' },
  },
  strict: true,
});

const instant = (option: string, raw: string): number => {
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms))
    fail(`--${option}: "${raw}" is not a time (ISO 8601, or milliseconds since the epoch)`);
  return ms;
};
const scrape = /^(\d+)s$/.exec(values['scrape-interval']);
if (!scrape || Number(scrape[1]) < 1)
  fail(`--scrape-interval: "${values['scrape-interval']}" is not a duration in seconds such as 5s`);

interface RunRecord {
  startedAt: number;
  endedAt: number;
  scripts: Array<{ name: string; passed: boolean }>;
}
const runFile = path.join(RESULTS, 'run.json');
const run: RunRecord | undefined = existsSync(runFile)
  ? (JSON.parse(readFileSync(runFile, 'utf8')) as RunRecord)
  : undefined;
if ((!values.from || !values.to) && !run)
  fail(
    `no load test recorded (${path.relative(REPO_ROOT, runFile)} is missing): run make loadtest first, or give --from and --to`,
  );
const fromMs = values.from ? instant('from', values.from) : run!.startedAt - MARGIN_MS;
const toMs = values.to ? instant('to', values.to) : run!.endedAt + MARGIN_MS;
const out = path.resolve(values.out);

const drawn = await writeReport({
  prometheusUrl: values.prometheus,
  namespace: values.namespace,
  fromMs,
  toMs: Math.min(toMs, Date.now()),
  scrapeSeconds: Number(scrape[1]),
  out,
  summaries: (run?.scripts ?? [])
    .filter((s) => existsSync(path.join(RESULTS, `${s.name}.txt`)))
    .map((s) => ({
      name: `${s.name} (k6 summary)`,
      href: path.relative(path.dirname(out), path.join(RESULTS, `${s.name}.txt`)),
      passed: s.passed,
    })),
}).catch((error: unknown) => fail((error as Error).message));
for (const chart of drawn)
  console.log(
    `  ${chart.svg ? 'drawn' : 'empty'}  ${chart.title}${chart.svg ? '' : `: ${chart.caption}`}`,
  );
console.log(`report: ${out}`);

if (values.screenshot) {
  await screenshot(out, values.screenshot);
  console.log(`screenshot: ${path.resolve(values.screenshot)}`);
}
