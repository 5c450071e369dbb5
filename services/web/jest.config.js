import { workspaceJestConfig } from '../../jest.shared.js';

// Browser tests start the whole platform and a Chromium: one file at a time is all two cores take.
export default workspaceJestConfig('web', { testTimeout: 240_000 });
