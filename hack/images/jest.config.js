import { workspaceJestConfig } from '../../jest.shared.js';

// Builds images with BuildKit and runs them in containerd: minutes cold, seconds from the cache.
export default workspaceJestConfig('images', { testTimeout: 30 * 60 * 1000 });
