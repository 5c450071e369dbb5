import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkContract, parseBody, type JsonResponse } from '@tourkit/e2e/support/http';
import { kubectlOrThrow, type TestCluster } from '@tourkit/testenv';

const NODE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REPO_ROOT = path.resolve(NODE_DIR, '../..');

/** The URLs `make up` prints here: socat relays on 127.0.0.1 to the node's NodePorts. */
export const GATEWAY_URL = 'http://127.0.0.1:8080';
export const MAILPIT_URL = 'http://127.0.0.1:8025';

/**
 * `make up`'s own path without Docker (hack/node/platform-up.sh: node, images, `make deploy`,
 * rollout waits, URL relays) into `namespace`; its progress goes to the test's output.
 */
export function makeUp(namespace: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(NODE_DIR, 'platform-up.sh'), [], {
      cwd: REPO_ROOT,
      env: { ...process.env, NAMESPACE: namespace },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`hack/node/platform-up.sh exited with ${code ?? signal}`)),
    );
  });
}

export interface PodState {
  name: string;
  service: string;
  node: string;
  ready: boolean;
  deleting: boolean;
}

export async function podsOf(cluster: TestCluster, namespace: string): Promise<PodState[]> {
  const out = await kubectlOrThrow(cluster, ['get', 'pods', '-o', 'json'], { namespace });
  const pods = JSON.parse(out) as {
    items: {
      metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
      spec: { nodeName?: string };
      status: { conditions?: { type: string; status: string }[] };
    }[];
  };
  return pods.items.map((pod) => ({
    name: pod.metadata.name,
    service: pod.metadata.labels?.['app.kubernetes.io/name'] ?? '',
    node: pod.spec.nodeName ?? '',
    ready: (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    deleting: pod.metadata.deletionTimestamp !== undefined,
  }));
}

// Runs inside a service's container: one call to its own API with the internal token it was given.
const INTERNAL_CALL = `
const [method, path, body] = process.argv.slice(1);
const response = await fetch('http://127.0.0.1:' + (process.env.PORT ?? '8080') + path, {
  method,
  headers: { 'content-type': 'application/json', 'x-internal-token': process.env.INTERNAL_TOKEN ?? '' },
  ...(body ? { body } : {}),
});
process.stdout.write(JSON.stringify({
  status: response.status,
  contentType: response.headers.get('content-type') ?? '',
  body: await response.text(),
}));
`;

/**
 * A call to a service's internal API, as the operator's back office makes it inside the cluster:
 * `/internal/*` and the back-office routes are not reachable from outside, so it runs in one of
 * the service's own pods (`kubectl exec`), with the token that pod holds. The answer is checked
 * against that service's OpenAPI document, as the e2e clients check theirs.
 */
export async function internalCall(
  cluster: TestCluster,
  namespace: string,
  service: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<JsonResponse> {
  const args = ['exec', `deploy/${service}`, '-c', service, '--', 'node', '--input-type=module'];
  args.push('-e', INTERNAL_CALL, method, route, body === undefined ? '' : JSON.stringify(body));
  const out = await kubectlOrThrow(cluster, args, { namespace });
  const answer = JSON.parse(out) as { status: number; contentType: string; body: string };
  const parsed = parseBody(answer.contentType, answer.body);
  checkContract(service, {
    method,
    path: new URL(route, 'http://pod').pathname,
    status: answer.status,
    contentType: answer.contentType,
    body: parsed,
  });
  // Of the answer's headers only the content type leaves the pod.
  return {
    status: answer.status,
    headers: new Headers({ 'content-type': answer.contentType }),
    body: parsed,
  };
}

export interface MailpitMessage {
  ID: string;
  Subject: string;
  To: { Address: string }[];
}

/** The messages Mailpit (the cluster's mail catcher) holds for one recipient. */
export async function mailsTo(address: string): Promise<MailpitMessage[]> {
  const query = encodeURIComponent(`to:"${address}"`);
  const response = await fetch(`${MAILPIT_URL}/api/v1/search?query=${query}`);
  if (!response.ok) throw new Error(`Mailpit search answered ${response.status}`);
  return ((await response.json()) as { messages: MailpitMessage[] }).messages;
}

export interface HpaBounds {
  min: number;
  max: number;
}

export async function hpaBounds(
  cluster: TestCluster,
  namespace: string,
  name: string,
): Promise<HpaBounds> {
  const out = await kubectlOrThrow(
    cluster,
    ['get', 'hpa', name, '-o', 'jsonpath={.spec.minReplicas} {.spec.maxReplicas}'],
    { namespace },
  );
  const [min, max] = out.trim().split(' ').map(Number);
  return { min: min!, max: max! };
}

export interface HpaState {
  replicas: number;
  /** One line for a failing wait: desired count, each metric against its target, the conditions. */
  summary: string;
}

interface HpaStatusJson {
  spec: { minReplicas?: number; maxReplicas: number };
  status: {
    currentReplicas?: number;
    desiredReplicas?: number;
    currentMetrics?: {
      type: string;
      resource?: { name: string; current: { averageUtilization?: number; averageValue?: string } };
    }[];
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** The HPA's replicas with what it based them on, so a wait that times out says why. */
export async function hpaState(
  cluster: TestCluster,
  namespace: string,
  name: string,
): Promise<HpaState> {
  const hpa = JSON.parse(
    await kubectlOrThrow(cluster, ['get', 'hpa', name, '-o', 'json'], { namespace }),
  ) as HpaStatusJson;
  const { status, spec } = hpa;
  const metrics = (status.currentMetrics ?? []).map((m) =>
    m.resource
      ? `${m.resource.name} ${
          m.resource.current.averageUtilization === undefined
            ? m.resource.current.averageValue
            : `${m.resource.current.averageUtilization}%`
        }`
      : m.type,
  );
  const conditions = (status.conditions ?? []).map(
    (c) => `${c.type}=${c.status} ${c.reason ?? ''}: ${c.message ?? ''}`,
  );
  return {
    replicas: status.currentReplicas ?? 0,
    summary:
      `${status.currentReplicas} pods, desired ${status.desiredReplicas} ` +
      `(min ${spec.minReplicas}, max ${spec.maxReplicas}); metrics: ${metrics.join(', ') || 'none'}; ` +
      conditions.join('; '),
  };
}

/** The ScalingSchedule whose targetRef names this HPA. */
export async function scheduleOf(
  cluster: TestCluster,
  namespace: string,
  hpa: string,
): Promise<string> {
  const out = await kubectlOrThrow(cluster, ['get', 'scalingschedules', '-o', 'json'], {
    namespace,
  });
  const schedules = JSON.parse(out) as {
    items: { metadata: { name: string }; spec: { targetRef: { name: string } } }[];
  };
  const schedule = schedules.items.find((s) => s.spec.targetRef.name === hpa);
  if (!schedule) throw new Error(`no ScalingSchedule in ${namespace} targets the HPA ${hpa}`);
  return schedule.metadata.name;
}

/** Runs the operator's kubectl plugin (`kubectl scalingschedule ...`) from its sources. */
export function scalingschedule(cluster: TestCluster, args: string[]): Promise<string> {
  const plugin = path.join(REPO_ROOT, 'operator/src/cli/kubectl-scalingschedule.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', plugin, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`kubectl scalingschedule ${args.join(' ')}: exit ${code}: ${stderr}`)),
    );
  });
}

export interface TrafficResult {
  sent: number;
  failures: string[];
}

/**
 * Steady traffic: `perSecond` GETs of `url` (the gateway's) each second until `stop` resolves; every
 * answer other than 200, every answer the public OpenAPI document does not describe, and every
 * connection error is a failure (named with its time).
 */
export async function steadyTraffic(
  url: string,
  perSecond: number,
  stop: Promise<unknown>,
): Promise<TrafficResult> {
  const result: TrafficResult = { sent: 0, failures: [] };
  let stopped = false;
  void stop.finally(() => (stopped = true));
  const inFlight = new Set<Promise<void>>();
  const one = async () => {
    result.sent += 1;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      const contentType = response.headers.get('content-type') ?? '';
      const body = parseBody(contentType, await response.text());
      if (response.status !== 200) {
        result.failures.push(`${new Date().toISOString()} HTTP ${response.status}`);
      }
      checkContract('gateway', {
        method: 'GET',
        path: new URL(url).pathname,
        status: response.status,
        contentType,
        body,
      });
    } catch (error) {
      result.failures.push(`${new Date().toISOString()} ${String(error)}`);
    }
  };
  while (!stopped) {
    for (let i = 0; i < perSecond; i += 1) {
      const call = one().finally(() => inFlight.delete(call));
      inFlight.add(call);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  await Promise.all(inFlight);
  return result;
}
