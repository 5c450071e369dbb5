/**
 * `make synth`: writes dist/tourkit-namespace.k8s.yaml and dist/tourkit.k8s.yaml.
 * `make dashboards` (`--dashboards <dir>...`): writes the generated Grafana dashboard JSON into each directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'cdk8s';
import { dashboardJson } from './observability/dashboard.js';
import { DASHBOARD_FILE } from './observability/observability.js';
import { optionsFromEnvironment } from './options.js';
import { buildPlatform } from './platform.js';
import { SERVICES } from './services.js';

const args = process.argv.slice(2);
const flag = args.indexOf('--dashboards');
if (flag >= 0) {
  const dirs = args.slice(flag + 1);
  if (dirs.length === 0) throw new Error('--dashboards needs at least one output directory');
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, DASHBOARD_FILE), dashboardJson(SERVICES));
    console.log(`wrote ${path.join(dir, DASHBOARD_FILE)}`);
  }
} else {
  const outdir = process.env.CDK8S_OUTDIR ?? path.join(import.meta.dirname, '..', 'dist');
  const app = new App({ outdir });
  buildPlatform(app, optionsFromEnvironment(process.env));
  app.synth();
  console.log(`synthesized into ${outdir}`);
}
