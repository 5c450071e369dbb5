import { CONTRACT_GUARD, workspaceJestConfig } from '../jest.shared.js';

export default workspaceJestConfig('loadtests', CONTRACT_GUARD);
