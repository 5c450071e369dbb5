// Every workspace with a jest.config.js is a jest project; `npm test` runs them all in one report.
import { existsSync, readdirSync } from 'node:fs';

const candidates = [
  ...readdirSync('services').map((s) => `services/${s}`),
  'hack/testenv',
  'hack/mail-catcher',
  'hack/node',
  'hack/images',
  'hack/observability',
  'cdk8s',
  'operator',
  'e2e',
  'loadtests',
];

export default {
  projects: candidates
    .filter((dir) => existsSync(`${dir}/jest.config.js`))
    .map((dir) => `<rootDir>/${dir}`),
};
