import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { TestCluster } from './cluster.js';
import { kubectlOrThrow } from './kubectl.js';
import { hackDir } from './paths.js';
import { run } from './process.js';

/** The real node's settings, as hack/node/settings.sh prints them from hack/node/config.sh. */
export interface RealNodeSettings {
  name: string;
  netns: string;
  ip: string;
  hostIp: string;
  vethHost: string;
  dir: string;
  cgroupRoot: string;
  containerdSocket: string;
  sandboxImage: string;
  corednsImage: string;
  clusterDnsIp: string;
  taintKey: string;
  /** `key=value`: the label the node registers with. */
  label: string;
  /** Global host settings the kubelet changes while it runs (down puts them back). */
  kubeletSysctls: string[];
  /** Every binary whose processes belong to the node (containerd, shim, kubelet, ...). */
  binaries: string[];
  crictl: string;
  ctr: string;
  /** Annotations that send a namespace's pods to the real node (PodNodeSelector, PodTolerationRestriction). */
  namespaceAnnotations: Record<string, string>;
}

/** Parses settings.sh's KEY=value lines (the value is everything after the first `=`). */
export function parseRealNodeSettings(text: string): RealNodeSettings {
  const values = new Map<string, string>();
  const annotations: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const at = line.indexOf('=');
    if (at <= 0) throw new Error(`hack/node/settings.sh: expected KEY=value, got "${line}"`);
    const key = line.slice(0, at);
    const value = line.slice(at + 1);
    if (key === 'NAMESPACE_ANNOTATION') {
      const split = value.indexOf('=');
      if (split <= 0)
        throw new Error(`hack/node/settings.sh: annotation without a value: "${value}"`);
      annotations[value.slice(0, split)] = value.slice(split + 1);
    } else {
      values.set(key, value);
    }
  }
  const get = (key: string): string => {
    const value = values.get(key);
    if (value === undefined) throw new Error(`hack/node/settings.sh: ${key} is missing`);
    return value;
  };
  const words = (key: string): string[] => get(key).split(' ').filter(Boolean);
  return {
    name: get('NODE_NAME'),
    netns: get('NODE_NETNS'),
    ip: get('NODE_IP'),
    hostIp: get('NODE_HOST_IP'),
    vethHost: get('NODE_VETH_HOST'),
    dir: get('NODE_DIR'),
    cgroupRoot: get('NODE_CGROUP_ROOT'),
    containerdSocket: get('CONTAINERD_SOCKET'),
    sandboxImage: get('SANDBOX_IMAGE'),
    corednsImage: get('COREDNS_IMAGE'),
    clusterDnsIp: get('CLUSTER_DNS_IP'),
    taintKey: get('NODE_TAINT_KEY'),
    label: get('NODE_LABEL'),
    kubeletSysctls: words('KUBELET_SYSCTLS'),
    binaries: words('BINARIES'),
    crictl: get('CRICTL'),
    ctr: get('CTR'),
    namespaceAnnotations: annotations,
  };
}

let cachedSettings: RealNodeSettings | undefined;

export function realNodeSettings(): RealNodeSettings {
  cachedSettings ??= parseRealNodeSettings(
    execFileSync(path.join(hackDir, 'node', 'settings.sh'), { encoding: 'utf8' }),
  );
  return cachedSettings;
}

async function runScript(script: 'up.sh' | 'down.sh'): Promise<void> {
  const result = await run(path.join(hackDir, 'node', script), [], { streamStderr: true });
  if (result.code !== 0) {
    throw new Error(
      `hack/node/${script} failed (exit ${result.code}); its output:\n${result.stderr.slice(-4000)}`,
    );
  }
}

/**
 * Starts the real node (hack/node/up.sh: builds missing tools, starts the local control plane if
 * needed; fast when the node already runs) and returns its settings.
 */
export async function startRealNode(): Promise<RealNodeSettings> {
  await runScript('up.sh');
  return realNodeSettings();
}

/** Stops the real node and removes what it added to the host (hack/node/down.sh). */
export async function stopRealNode(): Promise<void> {
  await runScript('down.sh');
}

/** Sends the pods of `namespace` to the real node (annotate before creating pods). */
export async function placeOnRealNode(cluster: TestCluster, namespace: string): Promise<void> {
  const annotations = Object.entries(realNodeSettings().namespaceAnnotations).map(
    ([key, value]) => `${key}=${value}`,
  );
  await kubectlOrThrow(cluster, [
    'annotate',
    'namespace',
    namespace,
    '--overwrite',
    ...annotations,
  ]);
}
