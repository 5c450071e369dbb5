// `npm run bench` (through tsx; a dev tool, no image carries it): the platform's hot paths as real
// processes on the real Postgres and Redis (the e2e platform), each against a baseline measured in
// the same round, then one table. Never a test: the numbers are printed, not asserted.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedPort } from '@tourkit/kit/testing';
import { startPlatform, SERVICES, type Platform } from '@tourkit/e2e/support/platform';
import { createTour, signUp } from '@tourkit/e2e/support/actors';
import { load, type LoadTarget } from './load.js';
import {
  RECORDED_REQUEST_PREFIX,
  recordedRequest,
  sqlBaseline,
  type SqlBaseline,
} from './sql-baseline.js';
import { formatTable, rows, type PathSpec, type Run, type ServiceFacts } from './table.js';

/** A path of the table; `reuse`: no run of its own, another path's run against another baseline. */
type BenchPath = PathSpec & { reuse?: string };

const ROUNDS = positive('BENCH_ROUNDS', 2);
const DURATION_SECONDS = positive('BENCH_DURATION_SECONDS', 8);
const WARMUP_SECONDS = positive('BENCH_WARMUP_SECONDS', 2);
const CONNECTIONS = positive('BENCH_CONNECTIONS', 50);
const STARTS = positive('BENCH_STARTS', 2);
/** Only the paths whose name contains this (e.g. `search`); the baselines they need run too. */
const ONLY = process.env.BENCH_ONLY ?? '';
/** A directory: every service runs with --cpu-prof and writes its profile there when it stops. */
const CPU_PROF = process.env.BENCH_CPU_PROF ?? '';

const PATHS: BenchPath[] = [
  { name: 'hello (express)' },
  {
    name: 'catalog search',
    baseline: 'hello (express)',
    goal: { kind: 'throughput', atLeast: 0.6 },
    service: 'catalog',
  },
  { name: 'same page (express)' },
  {
    // The same run as `catalog search`, against Express sending the same bytes: the service's own
    // cost, without the cost of the page's size.
    name: 'catalog search ÷ same page',
    reuse: 'catalog search',
    baseline: 'same page (express)',
    service: 'catalog',
  },
  { name: 'hello @ ½ rate' },
  {
    name: 'catalog search @ ½ rate',
    baseline: 'hello @ ½ rate',
    goal: { kind: 'p99', atMost: 2 },
    service: 'catalog',
  },
  {
    name: 'gateway search',
    baseline: 'catalog search',
    goal: { kind: 'throughput', atLeast: 0.6 },
    service: 'gateway',
  },
  { name: 'booking quote', service: 'booking' },
  {
    name: 'gateway quote',
    baseline: 'booking quote',
    goal: { kind: 'throughput', atLeast: 0.6 },
    service: 'gateway',
  },
  // The SQL statements of one booking create, recorded from booking and catalog, issued with pg
  // directly by the bench process (sql-baseline.ts): what the service adds around its SQL.
  { name: 'booking SQL (pg direct)' },
  {
    name: 'booking create',
    baseline: 'booking SQL (pg direct)',
    goal: { kind: 'throughput', atLeast: 0.5 },
    service: 'booking',
  },
  {
    name: 'gateway booking create',
    baseline: 'booking create',
    goal: { kind: 'throughput', atLeast: 0.6 },
    service: 'gateway',
  },
];

const SEARCH = '/v1/tours?destination=Paris&available=true';
const SQL_BASELINE = 'booking SQL (pg direct)';
/** The services' pool size in the bench (production's; the e2e platform shrinks them). */
const POOL_MAX = 10;
/** USER_HZ: /proc reports CPU time in these ticks; 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(Number.isFinite(value) && value > 0)) {
    throw new Error(`${name} must be a positive number (got "${raw}")`);
  }
  return value;
}

/** The hello-world baseline as its own process, like every service measured against it. */
async function startBaseline(): Promise<{ url: string; child: ChildProcess }> {
  const port = await closedPort();
  const script = fileURLToPath(new URL('./baseline.js', import.meta.url));
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/hello`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the hello-world baseline did not answer within 30 s');
}

/** Resident set size (or its peak so far, `VmHWM`) of a process, in MiB, from /proc. */
function rssMiB(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in microseconds, from /proc. */
function cpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // The fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Restarts a service and times spawn → first /readyz 200, polled every 20 ms. */
async function timeStart(platform: Platform, service: string): Promise<number> {
  await platform.kill(service, 'SIGTERM');
  const began = performance.now();
  const started = platform.start(service);
  let readyAt: number | undefined;
  while (readyAt === undefined) {
    try {
      if ((await fetch(`${platform.url[service]}/readyz`)).status === 200)
        readyAt = performance.now();
    } catch {
      // not listening yet
    }
    if (readyAt === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await started;
  return (readyAt - began) / 1000;
}

async function main(): Promise<void> {
  const profiling: Record<string, string> = CPU_PROF
    ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${CPU_PROF}` }
    : {};
  // Booking and catalog record the SQL of one request for the pg baseline (sql-recorder.js).
  const sqlRecord = join(mkdtempSync(join(tmpdir(), 'tourkit-bench-sql-')), 'statements.jsonl');
  const recorder = fileURLToPath(new URL('./sql-recorder.js', import.meta.url));
  const recording = {
    BENCH_SQL_RECORD: sqlRecord,
    NODE_OPTIONS: `${profiling.NODE_OPTIONS ?? ''} --import=${recorder}`.trim(),
  };
  const platform = await startPlatform('bench', {
    env: {
      ...Object.fromEntries(SERVICES.map((service) => [service, profiling])),
      // The gateway's per-client limit would throttle a load generator from one address.
      gateway: { ...profiling, RATE_LIMIT_PER_MINUTE: '1000000' },
      // Production pool sizes (the e2e platform shrinks them to fit seven services per test file).
      catalog: { ...recording, DB_POOL_MAX: String(POOL_MAX) },
      booking: { ...recording, DB_POOL_MAX: String(POOL_MAX) },
    },
  });
  const baseline = await startBaseline();
  try {
    await run(platform, { url: baseline.url, pid: baseline.child.pid }, sqlRecord);
  } finally {
    baseline.child.kill('SIGTERM');
    await platform.stop();
  }
}

async function run(
  platform: Platform,
  hello: { url: string; pid: number | undefined },
  sqlRecord: string,
): Promise<void> {
  const helloUrl = hello.url;
  const services: Record<string, ServiceFacts> = Object.fromEntries(
    SERVICES.map((service) => [service, { readySeconds: [] }]),
  );
  console.error(`start-up: each service restarted ${STARTS}× while the others run`);
  for (let i = 0; i < STARTS; i++) {
    for (const service of SERVICES)
      services[service]!.readySeconds.push(await timeStart(platform, service));
  }

  const operatorEmail = 'bench-operator@example.test';
  const inTwoMonths = new Date(Date.now() + 60 * 86_400_000);
  for (let i = 0; i < 5; i++) {
    await createTour(platform, {
      title: `Bench walk ${i}`,
      destination: 'Paris',
      country: 'FR',
      startsAt: new Date(inTwoMonths.getTime() + i * 86_400_000),
      priceCents: 4500 + i * 100,
      capacity: 100_000,
      operatorEmail,
    });
  }
  const bookable = await createTour(platform, {
    title: 'Bench bookings',
    destination: 'Lyon',
    country: 'FR',
    startsAt: inTwoMonths,
    priceCents: 3000,
    capacity: 100_000,
    operatorEmail,
  });
  const traveller = await signUp(platform, 'bench');
  const bearer = {
    authorization: `Bearer ${traveller.accessToken}`,
    'content-type': 'application/json',
  };
  const quote = JSON.stringify({ tourId: bookable.id, travellers: 2 });
  const booking = JSON.stringify({ tourId: bookable.id, travellers: 1 });
  const post = (base: string, path: string, body: string, idempotent = false): LoadTarget => ({
    url: `${base}${path}`,
    method: 'POST',
    headers: idempotent ? { ...bearer, 'idempotency-key': 'bench-[<id>]' } : bearer,
    body,
    idReplacement: idempotent,
  });
  const targets: Record<string, LoadTarget> = {
    'hello (express)': { url: helloUrl },
    'catalog search': { url: `${platform.url.catalog}${SEARCH}` },
    'same page (express)': { url: helloUrl.replace(/\/hello$/, '/page') },
    'hello @ ½ rate': { url: helloUrl },
    'catalog search @ ½ rate': { url: `${platform.url.catalog}${SEARCH}` },
    'gateway search': { url: `${platform.url.gateway}${SEARCH}` },
    'booking quote': post(platform.url.booking!, '/v1/bookings/quote', quote),
    'gateway quote': post(platform.url.gateway!, '/v1/bookings/quote', quote),
    'booking create': post(platform.url.booking!, '/v1/bookings', booking, true),
    'gateway booking create': post(platform.url.gateway!, '/v1/bookings', booking, true),
  };
  const page = await (await fetch(targets['catalog search']!.url)).arrayBuffer();
  await fetch(targets['same page (express)']!.url, { method: 'PUT', body: page });
  for (const [name, target] of Object.entries(targets)) {
    const response = await fetch(target.url, {
      method: target.method ?? 'GET',
      headers: {
        ...target.headers,
        ...(target.idReplacement ? { 'idempotency-key': `bench-probe-${name.length}` } : {}),
      },
      ...(target.body === undefined ? {} : { body: target.body }),
    });
    if (!response.ok) {
      throw new Error(
        `${name}: ${target.url} answered ${response.status}: ${await response.text()}`,
      );
    }
  }

  const sql = await recordBookingSql(platform, bearer, booking, sqlRecord);
  try {
    await measure(platform, hello, services, targets, sql);
  } finally {
    await sql.close();
  }
}

/** One booking create recorded (sql-recorder.js in booking and catalog): the pg baseline. */
async function recordBookingSql(
  platform: Platform,
  bearer: Record<string, string>,
  body: string,
  file: string,
): Promise<SqlBaseline> {
  const requestId = `${RECORDED_REQUEST_PREFIX}-1`;
  const key = `${RECORDED_REQUEST_PREFIX}-key`;
  const response = await fetch(`${platform.url.booking}/v1/bookings`, {
    method: 'POST',
    headers: { ...bearer, 'idempotency-key': key, 'x-request-id': requestId },
    body,
  });
  if (!response.ok)
    throw new Error(`recorded booking answered ${response.status}: ${await response.text()}`);
  const statements = recordedRequest(readFileSync(file, 'utf8'), requestId);
  const urls = Object.fromEntries(
    ['booking', 'catalog'].map((service) => {
      const url = platform.env(service).DATABASE_URL!;
      return [decodeURIComponent(new URL(url).pathname.slice(1)), url];
    }),
  );
  console.error(
    `${SQL_BASELINE}: ${statements.length} statements recorded (${[...new Set(statements.map((s) => s.database))].join(', ')})`,
  );
  return sqlBaseline({ statements, urls, poolMax: POOL_MAX, key });
}

async function measure(
  platform: Platform,
  hello: { url: string; pid: number | undefined },
  services: Record<string, ServiceFacts>,
  targets: Record<string, LoadTarget>,
  sql: SqlBaseline,
): Promise<void> {
  for (const service of SERVICES)
    services[service]!.rssRestMiB = rssMiB(platform.pid(service), 'VmRSS');
  // The hello-world process too: how much of a service's memory any Express process takes.
  const baselineFacts: ServiceFacts = { readySeconds: [], rssRestMiB: rssMiB(hello.pid, 'VmRSS') };

  const wanted = new Set(
    PATHS.filter((p) => p.name.includes(ONLY)).flatMap((p) => [
      p.name,
      p.baseline ?? p.name,
      p.reuse ?? p.name,
    ]),
  );
  const rounds: Array<Record<string, Run>> = [];
  console.error(
    `${ROUNDS} rounds; each path: ${WARMUP_SECONDS} s warm-up, ${DURATION_SECONDS} s measured, ${CONNECTIONS} connections, loopback`,
  );
  for (let round = 0; round < ROUNDS; round++) {
    const measured: Record<string, Run> = {};
    for (const spec of PATHS) {
      if (!wanted.has(spec.name)) continue;
      if (spec.reuse) {
        const reused = measured[spec.reuse];
        if (reused) measured[spec.name] = reused;
        continue;
      }
      if (spec.name === SQL_BASELINE) {
        await sql.run({ connections: CONNECTIONS, durationSeconds: WARMUP_SECONDS });
        const m = await sql.run({ connections: CONNECTIONS, durationSeconds: DURATION_SECONDS });
        measured[spec.name] = m;
        console.error(
          `round ${round + 1} ${spec.name}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, ${m.cpuMicros?.toFixed(0) ?? '?'} µs CPU/req (the bench's pg client)${m.failures ? `, ${m.failures} failed` : ''}`,
        );
        continue;
      }
      const target = targets[spec.name]!;
      // A fixed-rate path runs at half the full-speed rate its baseline's baseline reached this round.
      const halfOf = spec.name.endsWith('@ ½ rate') ? measured['hello (express)'] : undefined;
      const rate = halfOf ? Math.max(1, Math.round(halfOf.rps / 2)) : undefined;
      const options = {
        connections: CONNECTIONS,
        ...(rate === undefined ? {} : { overallRate: rate }),
      };
      await load(target, { ...options, durationSeconds: WARMUP_SECONDS });
      const pid = spec.service ? platform.pid(spec.service) : hello.pid;
      const cpuBefore = cpuMicros(pid);
      const m = await load(target, { ...options, durationSeconds: DURATION_SECONDS });
      const cpuAfter = cpuMicros(pid);
      if (cpuBefore !== undefined && cpuAfter !== undefined && m.requests)
        m.cpuMicros = (cpuAfter - cpuBefore) / m.requests;
      measured[spec.name] = m;
      console.error(
        `round ${round + 1} ${spec.name}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, ${m.cpuMicros?.toFixed(0) ?? '?'} µs CPU/req${m.failures ? `, ${m.failures} failed` : ''}`,
      );
    }
    rounds.push(measured);
  }
  for (const service of SERVICES)
    services[service]!.rssLoadMiB = rssMiB(platform.pid(service), 'VmHWM');
  baselineFacts.rssLoadMiB = rssMiB(hello.pid, 'VmHWM');
  services['baseline (express)'] = baselineFacts;

  const input = { paths: PATHS, rounds, services };
  console.log(formatTable(input));
  if (platform.unexpectedExits.length > 0) {
    console.error(`unexpected exits: ${platform.unexpectedExits.join('; ')}`);
    process.exitCode = 1;
  }
  const missed = rows(input).filter((row) => row.missed).length;
  if (missed > 0) console.error(`${missed} goal(s) missed (✗)`);
}

try {
  await main();
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
}
