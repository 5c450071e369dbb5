import { afterAll, afterEach } from '@jest/globals';
import { failOnContractViolations } from './http.js';

// A jest set-up file (setupFilesAfterEnv, jest.shared.js's CONTRACT_GUARD) of every project whose
// tests call the services: any undocumented response that checkContract found fails the test that
// saw it, even when the code that saw it caught the error (a poll retrying, a request whose failure
// is part of the scenario, the contract proxy answering on).

afterEach(() => failOnContractViolations('seen by this test (or its beforeAll)'));
afterAll(() => failOnContractViolations('seen after the last test'));
