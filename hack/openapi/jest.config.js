import { workspaceJestConfig } from '../../jest.shared.js';

// The public document's merge (merge.ts), on small documents made in the test.
export default workspaceJestConfig('openapi');
