import { KubeConfig } from '@kubernetes/client-node';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hackDir, localKubeconfigPath } from './paths.js';
import { run } from './process.js';
import { toolAvailable, toolPath } from './tools.js';

export interface TestCluster {
  /** The kubeconfig file every tool (kubectl, helm) is pointed at. */
  kubeconfigPath: string;
  kc: KubeConfig;
  /** True for the local control plane of hack/cluster, false for a cluster given by KUBECONFIG. */
  local: boolean;
}

let clusterPromise: Promise<TestCluster> | undefined;

/**
 * The cluster tests run against: the one KUBECONFIG names (kind, minikube, any cluster), else the
 * local control plane, started by hack/cluster/up.sh (which builds missing tools) or reused when
 * it already runs. Memoized per test file.
 */
export function getTestCluster(): Promise<TestCluster> {
  clusterPromise ??= connect().catch((error: unknown) => {
    clusterPromise = undefined;
    throw error;
  });
  return clusterPromise;
}

async function connect(): Promise<TestCluster> {
  const given = process.env.KUBECONFIG;
  if (given) {
    await ensureTool('kubectl');
    const kc = new KubeConfig();
    kc.loadFromDefault();
    return { kubeconfigPath: singleKubeconfigFile(given, kc), kc, local: false };
  }
  const kubeconfigPath = localKubeconfigPath();
  if (!(await localClusterRunning())) {
    const started = await run(path.join(hackDir, 'cluster', 'up.sh'), [], { streamStderr: true });
    if (started.code !== 0) {
      throw new Error(
        `hack/cluster/up.sh failed (exit ${started.code}); its output:\n${started.stderr.slice(-4000)}`,
      );
    }
  }
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return { kubeconfigPath, kc, local: true };
}

/** Every component's process alive and the API server ready: then the cluster is reused as is. */
async function localClusterRunning(): Promise<boolean> {
  const status = await run(path.join(hackDir, 'cluster', 'status.sh'), []);
  if (status.code !== 0) return false;
  const ready = await run(toolPath('kubectl'), [
    '--kubeconfig',
    localKubeconfigPath(),
    'get',
    '--raw',
    '/readyz',
  ]);
  return ready.code === 0;
}

/** Tools take one --kubeconfig file: a KUBECONFIG list of files is merged into a temporary one. */
function singleKubeconfigFile(given: string, kc: KubeConfig): string {
  if (!given.includes(path.delimiter)) return given;
  const dir = mkdtempSync(path.join(tmpdir(), 'tourkit-kubeconfig-'));
  const merged = path.join(dir, 'kubeconfig');
  writeFileSync(merged, kc.exportConfig(), { mode: 0o600 });
  return merged;
}

async function ensureTool(name: 'kubectl'): Promise<void> {
  if (toolAvailable(name)) return;
  const built = await run(path.join(hackDir, 'tools', 'build.sh'), [name], { streamStderr: true });
  if (built.code !== 0)
    throw new Error(`hack/tools/build.sh ${name} failed:\n${built.stderr.slice(-4000)}`);
}
