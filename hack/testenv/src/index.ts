export { getTestCluster, type TestCluster } from './cluster.js';
export { createTestNamespace, testNamespaceLabel, type TestNamespace } from './namespace.js';
export { kubectl, kubectlOrThrow } from './kubectl.js';
export { run, type RunResult } from './process.js';
export { toolAvailable, toolPath, toolVersions } from './tools.js';
export type { ToolName, ToolVersions } from './versions.js';
export {
  setSimulatedUsage,
  removeSimulatedUsage,
  simulatedUsageAvailable,
  type SimulatedUsage,
} from './usage.js';
export { waitFor } from './wait.js';
export {
  parseRealNodeSettings,
  placeOnRealNode,
  realNodeSettings,
  startRealNode,
  stopRealNode,
  type RealNodeSettings,
} from './node.js';
