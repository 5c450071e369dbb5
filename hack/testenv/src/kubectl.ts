import type { TestCluster } from './cluster.js';
import { run, type RunResult } from './process.js';
import { toolPath } from './tools.js';

/** Runs kubectl against the test cluster; a non-zero exit is returned, not thrown. */
export function kubectl(
  cluster: TestCluster,
  args: string[],
  opts: { input?: string; namespace?: string } = {},
): Promise<RunResult> {
  const scope = opts.namespace ? ['--namespace', opts.namespace] : [];
  return run(toolPath('kubectl'), ['--kubeconfig', cluster.kubeconfigPath, ...scope, ...args], {
    ...(opts.input === undefined ? {} : { input: opts.input }),
  });
}

/** Runs kubectl and returns its stdout; a non-zero exit throws with the command and its stderr. */
export async function kubectlOrThrow(
  cluster: TestCluster,
  args: string[],
  opts: { input?: string; namespace?: string } = {},
): Promise<string> {
  const result = await kubectl(cluster, args, opts);
  if (result.code !== 0)
    throw new Error(`kubectl ${args.join(' ')} failed (exit ${result.code}):\n${result.stderr}`);
  return result.stdout;
}
