import { CONTRACT_GUARD, workspaceJestConfig } from '../jest.shared.js';

export default workspaceJestConfig('e2e', CONTRACT_GUARD);
