import { workspaceJestConfig } from '../jest.shared.js';

export default workspaceJestConfig('e2e');
