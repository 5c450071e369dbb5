// `npm run bench` (through tsx; a dev tool outside src/, so no image has it): cached catalog search against an Express hello-world, both on loopback in the same run.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import { createPool, ensureDatabase, generateDevKeyPair, runMigrations } from '@tourkit/kit';
// A port bound then released: free for the child servers this bench starts.
import { closedPort as freePort } from '@tourkit/kit/testing';
import { loadDemoData } from '../src/use-cases/load-demo-data.js';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tourkit_catalog_bench';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SEARCH_PATH = '/v1/tours?destination=Paris&available=true';

const catalogMain = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const baselineScript = fileURLToPath(new URL('./baseline.ts', import.meta.url));
const children: ChildProcess[] = [];

/** Starts `node <args>` (the built catalog, or the baseline through tsx, as this bench runs). */
function start(args: string[], env: Record<string, string>): void {
  const script = args.at(-1) ?? '';
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`${script} exited with ${code}`);
  });
}

async function waitFor(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become ready within 30 s`);
}

async function load(url: string, duration: number): Promise<Result> {
  return autocannon({ url, connections: CONNECTIONS, duration });
}

function describe(name: string, result: Result): string {
  const failures = result.non2xx + result.errors + result.timeouts;
  return `${name.padEnd(46)} ${result.requests.average.toFixed(0).padStart(8)} req/s   p99 ${String(result.latency.p99).padStart(4)} ms   ${failures} failed of ${result.requests.total}`;
}

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL, fileURLToPath(new URL('../migrations', import.meta.url)));
  const pool = createPool(DATABASE_URL, { name: 'bench-demo-data' });
  await loadDemoData(pool);
  await pool.end();

  const [catalogPort, baselinePort] = [await freePort(), await freePort()];
  start([catalogMain], {
    PORT: String(catalogPort),
    DATABASE_URL,
    REDIS_URL,
    CACHE_PREFIX: `catalog-bench:${randomBytes(4).toString('hex')}:`,
    JWT_PUBLIC_KEY: generateDevKeyPair().publicKeyPem,
    INTERNAL_TOKEN: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'warn',
    RUN_MIGRATIONS: 'false',
  });
  start(['--import', 'tsx', baselineScript], { PORT: String(baselinePort) });
  const catalogUrl = `http://127.0.0.1:${catalogPort}${SEARCH_PATH}`;
  const baselineUrl = `http://127.0.0.1:${baselinePort}/hello`;
  await waitFor(`http://127.0.0.1:${catalogPort}/readyz`);
  await waitFor(baselineUrl);
  const sample = (await (await fetch(catalogUrl)).json()) as { total: number };
  if (!(sample.total > 0)) throw new Error('the demo catalog has no available Paris tours');

  console.log(
    `warm-up ${WARMUP_SECONDS} s each, then ${DURATION_SECONDS} s each, ${CONNECTIONS} connections, loopback`,
  );
  await load(baselineUrl, WARMUP_SECONDS);
  await load(catalogUrl, WARMUP_SECONDS);
  const baseline = await load(baselineUrl, DURATION_SECONDS);
  const catalog = await load(catalogUrl, DURATION_SECONDS);

  console.log(describe('baseline  GET /hello (express)', baseline));
  console.log(describe(`catalog   GET ${SEARCH_PATH.replace('/v1/tours', '')}`, catalog));
  const throughputRatio = catalog.requests.average / baseline.requests.average;
  const p99Ratio = catalog.latency.p99 / Math.max(baseline.latency.p99, 1);
  console.log(
    `catalog/baseline: throughput ${throughputRatio.toFixed(2)}x, p99 ${p99Ratio.toFixed(2)}x ` +
      `(cached search: ${sample.total} Paris tours per page)`,
  );
  if (catalog.non2xx + catalog.errors > 0) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  for (const child of children) child.kill('SIGTERM');
}
