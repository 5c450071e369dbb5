import { workspaceJestConfig } from '../../jest.shared.js';

// Builds images with BuildKit and runs them in containerd: minutes cold, seconds from the cache
// (the tests give their hooks and cases their own timeouts).
export default workspaceJestConfig('images');
