import { CONTRACT_GUARD, workspaceJestConfig } from '../../jest.shared.js';

export default workspaceJestConfig('web', CONTRACT_GUARD);
