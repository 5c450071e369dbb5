// Two controller PROCESSES share a Lease; the leader is frozen with SIGSTOP (as a long GC pause or a
// frozen VM would), the follower takes over, and the frozen one, resumed past its renew deadline,
// must not write a thing: one writer at a time, as client-go's leaseDuration > renewDeadline promises.
import {
  createTestNamespace,
  getTestCluster,
  kubectl,
  kubectlOrThrow,
  waitFor,
  type TestCluster,
  type TestNamespace,
} from '@tourkit/testenv';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  clusterStartMs,
  createBookingSchedule,
  createHpa,
  installCrd,
  waitForBounds,
} from './support.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const mainTs = path.join(repoRoot, 'operator/src/main.ts');
const WEDNESDAY_NOON = Date.parse('2026-06-10T10:00:00Z'); // business hours: 5–10
const testMs = 150_000;

interface LogLine {
  time: number;
  msg: string;
  method?: string;
  url?: string;
  leading?: boolean;
}

interface Instance {
  identity: string;
  child: ChildProcess;
  lines: LogLine[];
}

let cluster: TestCluster;
let namespace: TestNamespace;
const instances: Instance[] = [];

beforeAll(async () => {
  cluster = await getTestCluster();
  await installCrd(cluster);
  namespace = await createTestNamespace(cluster, 'oplead');
}, clusterStartMs);

afterAll(async () => {
  for (const { child } of instances) {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }
  await namespace?.cleanup();
}, testMs);

function startProcess(identity: string, lease: string): Instance {
  const child = spawn(process.execPath, ['--import', 'tsx', mainTs], {
    cwd: repoRoot,
    env: {
      ...process.env,
      KUBECONFIG: cluster.kubeconfigPath,
      WATCH_NAMESPACE: namespace.name,
      POD_NAMESPACE: namespace.name,
      POD_NAME: identity,
      LEASE_NAME: lease,
      LEASE_DURATION_SECONDS: '4',
      RENEW_DEADLINE_SECONDS: '2.5',
      RETRY_PERIOD_SECONDS: '0.5',
      METRICS_PORT: '0',
      LOG_LEVEL: 'debug',
      TOURKIT_CLOCK_OFFSET_SECONDS: String(Math.round((WEDNESDAY_NOON - Date.now()) / 1000)),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const instance: Instance = { identity, child, lines: [] };
  let buffer = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const part of parts) {
      try {
        instance.lines.push(JSON.parse(part) as LogLine);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.resume();
  instances.push(instance);
  return instance;
}

const holder = async (ns: string, lease: string) =>
  (
    await kubectl(cluster, ['get', 'lease', lease, '-o', 'jsonpath={.spec.holderIdentity}'], {
      namespace: ns,
    })
  ).stdout.trim();

/** Writes this process actually sent (the fence refuses before logging), Lease calls aside. */
const writesSince = (instance: Instance, since: number) =>
  instance.lines.filter(
    (l) => l.msg === 'api write' && l.time >= since && !String(l.url).includes('/leases'),
  );

test(
  'a leader frozen by SIGSTOP is replaced, and once resumed past its renew deadline writes nothing',
  async () => {
    const ns = namespace.name;
    const lease = 'paused-leader';
    await createHpa(cluster, ns, 'paused', 1, 3);
    const a = startProcess('instance-a', lease);
    const b = startProcess('instance-b', lease);
    await createBookingSchedule(cluster, ns, 'paused');
    await waitForBounds(cluster, ns, 'paused', [5, 10], 60_000);
    const leaderId = await waitFor(
      'a lease holder',
      async () => (await holder(ns, lease)) || undefined,
    );
    const [leader, follower] = leaderId === a.identity ? [a, b] : [b, a];

    leader.child.kill('SIGSTOP');
    const frozenAt = Date.now();
    // A foreign edit while the leader is frozen: its watch buffers the event, the follower sees it
    // too. Whoever runs first after the pause would want to correct it.
    await kubectlOrThrow(
      cluster,
      ['patch', 'hpa', 'paused', '--type=merge', '-p', '{"spec":{"minReplicas":3}}'],
      { namespace: ns },
    );
    await waitFor(
      'the follower to hold the lease',
      async () => ((await holder(ns, lease)) === follower.identity ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    await waitForBounds(cluster, ns, 'paused', [5, 10], 30_000);
    // Past the frozen leader's renew deadline by any measure: resume it.
    leader.child.kill('SIGCONT');
    const resumedAt = Date.now();
    // Tempt it again, now that it runs: another foreign edit, corrected by the new leader alone.
    await kubectlOrThrow(
      cluster,
      ['patch', 'hpa', 'paused', '--type=merge', '-p', '{"spec":{"maxReplicas":12}}'],
      { namespace: ns },
    );
    await waitForBounds(cluster, ns, 'paused', [5, 10], 30_000);
    await waitFor(
      'the resumed instance to step down',
      async () =>
        leader.lines.some((l) => l.msg === 'not leader' && l.time >= resumedAt) ? true : undefined,
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    expect(writesSince(leader, frozenAt)).toEqual([]);
    expect(writesSince(follower, frozenAt).length).toBeGreaterThan(0);
    expect(await holder(ns, lease)).toBe(follower.identity);
    expect(follower.child.exitCode).toBeNull();
  },
  testMs,
);
