import { workspaceJestConfig } from '../../jest.shared.js';

// The real node's tests share one node that the lifecycle test stops and starts: one file, run in order.
export default workspaceJestConfig('node');
