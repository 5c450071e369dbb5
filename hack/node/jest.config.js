import { CONTRACT_GUARD, workspaceJestConfig } from '../../jest.shared.js';

// The real node's tests share one node that the lifecycle test stops and starts: one file, run in order.
// The contract guard: an undocumented answer that a waitFor poll caught still fails its test.
export default workspaceJestConfig('node', CONTRACT_GUARD);
