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
