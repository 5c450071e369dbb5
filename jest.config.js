// Every workspace with a jest.config.js is a jest project; `npm test` runs them all in one report.
import { existsSync, readdirSync } from 'node:fs';

const candidates = [
  ...readdirSync('services').map((s) => `services/${s}`),
  'hack/testenv',
  'hack/mail-catcher',
  'hack/node',
  'hack/images',
  'hack/observability',
  'hack/openapi',
  'cdk8s',
  'operator',
  'e2e',
  'loadtests',
  'bench',
];

export default {
  // Integration tests start real services, databases and queues on a shared two-core machine:
  // jest's 5 s default fails them on load alone (a test never asserts time; a hang still ends).
  // A global option: jest ignores it in the projects' own configs.
  testTimeout: 60_000,
  projects: candidates
    .filter((dir) => existsSync(`${dir}/jest.config.js`))
    .map((dir) => `<rootDir>/${dir}`),
};
