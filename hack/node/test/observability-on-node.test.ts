/**
 * The in-cluster observability stack on the real node, deployed by `make up`'s own script
 * (hack/node/platform-up.sh, which turns cdk8s's observabilityStack on): Prometheus, as a pod,
 * scrapes every service pod (`up == 1` for each) and has the platform's rule groups loaded, sends to
 * the Alertmanager pod, and a service that goes away reaches a person (TourkitServiceDown e-mailed to
 * support through the namespace's Mailpit); a request through the gateway arrives in the in-cluster
 * Jaeger as one trace across the services it touched.
 *
 * The NodePorts are fixed, so one platform at a time: this file waits for real-node.test.ts's
 * namespace to be gone before it deploys its own, and deletes its own (waiting) at the end.
 * The 127.0.0.1 ports follow platform-up.sh's TOURKIT_<NAME>_URL_PORT, as the relays do.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  getTestCluster,
  kubectl,
  kubectlOrThrow,
  startRealNode,
  waitFor,
  type TestCluster,
} from '@tourkit/testenv';
import { ruleGroups } from '@tourkit/cdk8s/observability/alerts';
import { makeUp, podsOf, REPO_ROOT } from './support/platform-on-node.js';

const START = 60 * 60_000;
const TEST = 10 * 60_000;
const NAMESPACE = 'tourkit-node-obs';
/** real-node.test.ts's platform: it holds the same NodePorts while it exists. */
const OTHER_PLATFORM = 'tourkit-node-e2e';
const SUPPORT_EMAIL = 'support@tourkit.local';

const url = (name: string, port: number) =>
  `http://127.0.0.1:${process.env[`TOURKIT_${name}_URL_PORT`] || port}`;
const PROMETHEUS = url('PROMETHEUS', 9090);
const ALERTMANAGER = url('ALERTMANAGER', 9093);
const JAEGER = url('JAEGER', 16686);
const GATEWAY = url('GATEWAY', 8080);
const MAILPIT = url('MAILPIT', 8025);

const SERVICES = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'services/services.json'), 'utf8')) as {
    services: { name: string }[];
  }
).services.map((s) => s.name);

async function getJson<T>(address: string): Promise<T> {
  const response = await fetch(address);
  if (!response.ok) throw new Error(`${address} answered ${response.status}`);
  return (await response.json()) as T;
}

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
async function query(promql: string): Promise<Sample[]> {
  const body = await getJson<{ data: { result: Sample[] } }>(
    `${PROMETHEUS}/api/v1/query?query=${encodeURIComponent(promql)}`,
  );
  return body.data.result;
}

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await getTestCluster();
  await startRealNode();
  await waitFor(
    `namespace ${OTHER_PLATFORM} (same NodePorts) to be gone`,
    async () => {
      const found = await kubectl(cluster, ['get', 'namespace', OTHER_PLATFORM, '-o', 'name']);
      if (found.code === 0) return undefined;
      if (/NotFound/.test(found.stderr)) return true;
      throw new Error(`kubectl get namespace: ${found.stderr}`);
    },
    { timeoutMs: 15 * 60_000, intervalMs: 5_000 },
  );
  await makeUp(NAMESPACE);
}, START);

afterAll(async () => {
  await kubectl(cluster, ['delete', 'namespace', NAMESPACE, '--wait=true', '--timeout=5m']);
}, TEST);

describe('Prometheus, Alertmanager and Jaeger as pods on the real node', () => {
  it(
    'runs the three as pods of the namespace, on the node',
    async () => {
      const pods = (await podsOf(cluster, NAMESPACE)).filter((p) => !p.deleting);
      for (const app of ['prometheus', 'alertmanager', 'jaeger'])
        expect(pods.filter((p) => p.service === app).map((p) => p.ready)).toEqual([true]);
    },
    TEST,
  );

  it(
    'scrapes every service pod: up == 1 for each Ready pod, labelled with its namespace and service',
    async () => {
      const expected = (await podsOf(cluster, NAMESPACE))
        .filter((p) => SERVICES.includes(p.service) && p.ready && !p.deleting)
        .map((p) => `${p.service}/${p.name}`)
        .sort();
      // Every service has pods: otherwise "each pod is up" would hold of too few.
      expect(new Set(expected.map((e) => e.split('/')[0]))).toEqual(new Set(SERVICES));
      let seen: string[] = [];
      await waitFor(
        'an up == 1 series for every service pod',
        async () => {
          const up = await query(`up{namespace="${NAMESPACE}"} == 1`);
          seen = up.map((s) => `${s.metric.service}/${s.metric.pod}`).sort();
          return expected.every((e) => seen.includes(e)) ? true : undefined;
        },
        // Discovery, then the first scrape of each target (every 15 s).
        { timeoutMs: 3 * 60_000, intervalMs: 5_000, lastSeen: () => seen.join(', ') },
      );
      const down = await query(`up{namespace="${NAMESPACE}"} == 0`);
      expect(down.map((s) => `${s.metric.service}/${s.metric.pod}`)).toEqual([]);
    },
    TEST,
  );

  it(
    "has the platform's rule groups loaded, every rule healthy, and its Alertmanager found",
    async () => {
      const rules = await getJson<{
        data: { groups: { name: string; rules: { name: string; health: string }[] }[] };
      }>(`${PROMETHEUS}/api/v1/rules`);
      // By group name: Prometheus listed the groups in its own order (tourkit.rules before
      // tourkit.slo, the reverse of the rule file's), and the rules within a group in theirs.
      const byName = <T extends { group: string }>(groups: T[]) =>
        [...groups].sort((a, b) => a.group.localeCompare(b.group));
      const names = (groups: { name: string; rules: { name?: string }[] }[]) =>
        byName(groups.map((g) => ({ group: g.name, rules: g.rules.map((r) => r.name) })));
      const expected = byName(
        ruleGroups(NAMESPACE, SERVICES).map((g) => ({
          group: g.name,
          rules: g.rules.map((r) => ('alert' in r ? r.alert : r.record)),
        })),
      );
      expect(names(rules.data.groups)).toEqual(expected);
      // Evaluated at least once without error (health "ok"; "unknown" until the first evaluation).
      await waitFor(
        'every rule evaluated without error',
        async () => {
          const now = await getJson<typeof rules>(`${PROMETHEUS}/api/v1/rules`);
          const health = now.data.groups.flatMap((g) => g.rules.map((r) => r.health));
          if (health.some((h) => h === 'err'))
            throw new Error(`a rule failed: ${JSON.stringify(now)}`);
          return health.every((h) => h === 'ok') ? true : undefined;
        },
        { timeoutMs: 2 * 60_000, intervalMs: 5_000 },
      );
      const managers = await getJson<{ data: { activeAlertmanagers: { url: string }[] } }>(
        `${PROMETHEUS}/api/v1/alertmanagers`,
      );
      expect(managers.data.activeAlertmanagers).toHaveLength(1);
      expect((await fetch(`${ALERTMANAGER}/-/ready`)).status).toBe(200);
    },
    TEST,
  );

  it(
    'e-mails support through Mailpit when a service is gone (TourkitServiceDown), then the resolved notice',
    async () => {
      // Review: no other service calls it, so taking it away disturbs nothing else.
      const service = 'review';
      const replicas = (
        await kubectlOrThrow(
          cluster,
          ['get', 'deploy', service, '-o', 'jsonpath={.spec.replicas}'],
          {
            namespace: NAMESPACE,
          },
        )
      ).trim();
      type Message = { Subject: string; Snippet: string };
      const alertMails = async () =>
        (
          await getJson<{ messages: Message[] }>(
            `${MAILPIT}/api/v1/search?query=${encodeURIComponent(`to:"${SUPPORT_EMAIL}" subject:TourkitServiceDown`)}`,
          )
        ).messages;
      const count = (mails: Message[], state: string) =>
        mails.filter((m) => m.Subject.includes(state)).length;
      const before = await alertMails();
      const [firingBefore, resolvedBefore] = [count(before, 'FIRING'), count(before, 'RESOLVED')];
      await kubectlOrThrow(cluster, ['scale', 'deploy', service, '--replicas=0'], {
        namespace: NAMESPACE,
      });
      try {
        // absent(up{service="review"}) for 1 minute, then Alertmanager's 30 s group wait.
        const firing = await waitFor(
          'the TourkitServiceDown e-mail',
          async () => {
            const mails = await alertMails();
            return count(mails, 'FIRING') > firingBefore ? mails : undefined;
          },
          { timeoutMs: 5 * 60_000, intervalMs: 5_000 },
        );
        // Newest first: the alert of the service just taken away.
        expect(firing[0]!.Subject).toMatch(/FIRING.*TourkitServiceDown.*review/);
      } finally {
        await kubectlOrThrow(cluster, ['scale', 'deploy', service, `--replicas=${replicas}`], {
          namespace: NAMESPACE,
        });
      }
      await waitFor(
        'the resolved notice',
        async () => {
          const mails = await alertMails();
          return count(mails, 'RESOLVED') > resolvedBefore ? true : undefined;
        },
        // Pods back and scraped, the alert resolved, then Alertmanager's group interval (1 m).
        { timeoutMs: 6 * 60_000, intervalMs: 10_000 },
      );
    },
    15 * 60_000,
  );

  it(
    'receives in Jaeger the trace of a request through the gateway, spanning the services it touched',
    async () => {
      // The request starts the trace (W3C traceparent), so the test knows its id.
      const traceId = randomBytes(16).toString('hex');
      const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
      // The gateway proxies the catalog search to catalog: two services in one trace.
      const response = await fetch(`${GATEWAY}/v1/tours?destination=Paris`, {
        headers: { traceparent },
      });
      expect(response.status).toBe(200);
      type Trace = {
        spans: { processID: string }[];
        processes: Record<string, { serviceName: string }>;
      };
      const servicesOf = (t: Trace) =>
        [...new Set(t.spans.map((span) => t.processes[span.processID]!.serviceName))].sort();
      let seen: string[] = [];
      await waitFor(
        'the trace in Jaeger with the gateway and catalog spans',
        async () => {
          const answer = await fetch(`${JAEGER}/api/traces/${traceId}`);
          if (!answer.ok) return undefined; // 404 until its first span arrives
          const trace = ((await answer.json()) as { data: Trace[] }).data[0];
          seen = trace ? servicesOf(trace) : [];
          return seen.includes('gateway') && seen.includes('catalog') ? true : undefined;
        },
        // The services' batch span processor exports every 5 s.
        { timeoutMs: 2 * 60_000, intervalMs: 3_000, lastSeen: () => seen.join(', ') },
      );
    },
    TEST,
  );
});
