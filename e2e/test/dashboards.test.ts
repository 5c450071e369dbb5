import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildDashboards } from '@tourkit/cdk8s/observability/dashboard';
import { panelQueries, withVariables } from '@tourkit/cdk8s/observability/panel-queries';
import { SERVICES as SERVICE_SPECS } from '@tourkit/cdk8s/services';
import { closedPort } from '@tourkit/kit/testing';
import { startStack, writeReport, type Stack } from '@tourkit/observability';
import { createTour, placeBooking, signUp } from './support/actors.js';
import { apiClient } from './support/api.js';
import { eventually } from './support/eventually.js';
import {
  REPO_ROOT,
  SERVICES,
  SUPPORT_EMAIL,
  startPlatform,
  withLogsOnFailure,
  type Platform,
} from './support/platform.js';

// Every dashboard panel shows data: a short load against the platform's processes (the seven
// services, and the web app's server) scraped by a real Prometheus, then every panel query of the
// generated dashboards, with Grafana's variables substituted, is run against Prometheus's HTTP API
// over the load's time range; a query that returns no series fails the test, naming its panel.
// Queries of kube-state-metrics (replicas, HPA bounds, CPU against target) and of the
// ScalingSchedule controller have series only on a cluster: they are listed, not evaluated here.

const SCRAPE = '1s';
/** Grafana's $__rate_interval for a 1 s scrape at this range's step: four scrapes and then some. */
const RATE_INTERVAL = '10s';

let platform: Platform | undefined;
let web: ChildProcess | undefined;
let webUrl: string | undefined;
let stack: Stack | undefined;
let dir: string | undefined;

beforeAll(async () => {
  platform = await startPlatform('panels', {
    env: { notification: { REMINDER_CRON: '0 0 1 1 *' } },
    // Eight processes and Prometheus on two shared cores: start-up may be slow.
    readyTimeoutMs: 180_000,
  });
  dir = mkdtempSync(path.join(tmpdir(), 'tourkit-panels-'));
  // The web app's server: its bundle is not needed for its /metrics (readiness says it is missing).
  const webPort = await closedPort();
  const log = openSync(path.join(dir, 'web.log'), 'a');
  web = spawn(process.execPath, [path.join(REPO_ROOT, 'services/web/dist/main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      SERVICE_NAME: 'web',
      PORT: String(webPort),
      GATEWAY_URL: platform.url.gateway!,
      BOOKING_URL: platform.url.booking!,
      NOTIFICATION_URL: platform.url.notification!,
      INTERNAL_TOKEN: platform.internalToken,
      SUPPORT_EMAIL,
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  webUrl = `http://127.0.0.1:${webPort}`;
  await eventually('web to answer /livez', async () => (await fetch(`${webUrl}/livez`)).ok, {
    timeoutMs: 60_000,
  });
  const targets = [
    ...SERVICES.map((service) => ({ service, address: new URL(platform!.url[service]!).host })),
    { service: 'web', address: `127.0.0.1:${webPort}` },
  ];
  stack = await startStack({
    dir,
    namespace: 'tourkit',
    targets,
    services: targets.map((t) => t.service),
    smtp: `127.0.0.1:${platform.smtp.port}`,
    supportEmail: SUPPORT_EMAIL,
    prometheusPort: await closedPort(),
    alertmanagerPort: await closedPort(),
    interval: SCRAPE,
  });
}, 420_000);

afterAll(async () => {
  await stack?.stop();
  if (web && web.exitCode === null) {
    const exited = new Promise((resolve) => web!.once('exit', resolve));
    web.kill('SIGTERM');
    await exited;
  }
  await platform?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

interface RangeAnswer {
  status: string;
  error?: string;
  data?: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
}

async function rangeQuery(expr: string, start: number, end: number): Promise<RangeAnswer> {
  const params = new URLSearchParams({
    query: expr,
    start: String(start / 1000),
    end: String(end / 1000),
    step: '1',
  });
  return (await (
    await fetch(`${stack!.prometheusUrl}/api/v1/query_range?${params}`)
  ).json()) as RangeAnswer;
}

/** The traffic every panel's metric needs: searches (cache), sign-ups and logins, bookings, reviews, the web server's API forwarding. */
async function load(p: Platform, webUrl: string): Promise<void> {
  const ada = await signUp(p, 'ada');
  const tour = await createTour(p, {
    title: 'Canal Saint-Martin walk',
    destination: 'Paris',
    country: 'FR',
    startsAt: new Date(Date.now() + 30 * 24 * 3_600_000),
    priceCents: 2_500,
    operatorEmail: `operator-${randomUUID().slice(0, 8)}@example.test`,
  });
  const viaWeb = apiClient(webUrl);
  const until = Date.now() + 20_000;
  let round = 0;
  while (Date.now() < until) {
    round++;
    await Promise.all([
      p.gateway.get('/v1/tours?destination=Paris&pageSize=5'),
      p.gateway.get(`/v1/tours/${tour.id}`),
      p.gateway.get(`/v1/tours/${tour.id}/reviews`),
      ada.api.get('/v1/users/me'),
      // Through the web server to the gateway, as the browser app calls the API (with its typed
      // client; the web server forwards the public API unchanged, so the answer is checked
      // against the public document).
      viaWeb.GET('/v1/tours', { params: { query: { pageSize: '2' } } }),
      round % 5 === 1 ? placeBooking(ada, tour.id, 1, `panels-${round}-${randomUUID()}`) : null,
      round % 5 === 3
        ? p.gateway.post('/v1/auth/login', { email: ada.email, password: 'not the password' })
        : null,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it(
  'every panel query of the services returns series after a short load; the cluster-only ones are listed',
  withLogsOnFailure(
    () => platform,
    async () => {
      const p = platform!;
      const scraped = [...SERVICES, 'web'];
      await eventually(
        'Prometheus to scrape every process',
        async () => {
          const answer = (await fetch(
            `${stack!.prometheusUrl}/api/v1/query?query=${encodeURIComponent('up{namespace="tourkit"} == 1')}`,
          ).then((r) => r.json())) as { data: { result: Array<{ metric: { service: string } }> } };
          const up = answer.data.result.map((r) => r.metric.service);
          return scraped.every((s) => up.includes(s)) ? true : undefined;
        },
        { timeoutMs: 60_000 },
      );

      const start = Date.now();
      await load(p, webUrl!);
      // Two more scrapes, so the last requests are in Prometheus.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const end = Date.now();

      const all = panelQueries(buildDashboards(SERVICE_SPECS));
      const processSide = all.filter((q) => q.source === 'services');
      const clusterSide = all.filter((q) => q.source !== 'services');
      const empty: string[] = [];
      for (const q of processSide) {
        const expr = withVariables(q.expr, { namespace: 'tourkit', rateInterval: RATE_INTERVAL });
        const answer = await rangeQuery(expr, start, end);
        if (answer.status !== 'success')
          empty.push(`${q.dashboard} › ${q.panel} › ${q.legend}: ${answer.error} (${expr})`);
        else if ((answer.data?.result ?? []).length === 0)
          empty.push(`${q.dashboard} › ${q.panel} › ${q.legend}: no series (${expr})`);
      }
      expect(empty).toEqual([]);
      // Every service's overview row was among them, web's too.
      for (const service of scraped)
        expect(processSide.some((q) => q.panel === `${service}: requests/s`)).toBe(true);

      // The same run as `make report` draws it, from this Prometheus (TOURKIT_REPORT_DIR keeps the page).
      const out = path.join(process.env.TOURKIT_REPORT_DIR ?? dir!, 'loadtest.html');
      const drawn = await writeReport({
        prometheusUrl: stack!.prometheusUrl,
        namespace: 'tourkit',
        fromMs: start,
        toMs: end,
        scrapeSeconds: 1,
        out,
      });
      const chart = (id: string) => drawn.find((c) => c.id === id)!;
      for (const id of ['requests', 'latency', 'replicas', 'cpu'])
        expect(chart(id).svg).toContain('<svg');
      for (const service of scraped) expect(chart('requests').svg).toContain(`>${service}<`);
      expect(chart('replicas').caption).toMatch(/^Instances Prometheus scraped/);
      expect(chart('schedule').svg).toBeNull();
      expect(readFileSync(out, 'utf8')).toContain('Tourkit load test report');

      console.log(
        `evaluated ${processSide.length} panel queries against Prometheus; left to a cluster ` +
          `(${clusterSide.length} queries of kube-state-metrics and the ScalingSchedule controller):\n` +
          [...new Set(clusterSide.map((q) => `  ${q.dashboard} › ${q.panel} [${q.source}]`))].join(
            '\n',
          ),
      );
    },
  ),
  300_000,
);
