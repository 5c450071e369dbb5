/**
 * `make synth`: writes dist/tourkit-namespace.k8s.yaml and dist/tourkit.k8s.yaml.
 * `make dashboards` (`--dashboards <dir>...`): writes the generated Grafana dashboard JSON into each directory.
 * `--chart-crds <dir>`: writes the ScalingSchedule CRD for the Helm chart's crds/ folder.
 * `--chart-values-schema <dir>`: writes the chart's values.schema.json (from ./chart-values.ts).
 * `--chart-rules <dir>`: writes the chart's copy of the Prometheus rules (placeholders for its values).
 * `--chart-observability-stack <dir>`: writes the chart's copy of the in-cluster Prometheus', Alertmanager's
 * and Jaeger's files (placeholders for the namespace and the support address).
 * `--chart-load-generator <dir>`: writes the chart's copy of the load generator's k6 scripts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'cdk8s';
import { chartValuesJsonSchema, VALUES_SCHEMA_FILE } from './chart-values.js';
import { LOAD_GENERATOR_SCRIPTS, loadGeneratorScript } from './constructs/load-generator.js';
import { buildDashboards, dashboardJson } from './observability/dashboard.js';
import { chartRulesJson, RULES_FILE } from './observability/observability.js';
import { chartStackFiles } from './observability/stack.js';
import { optionsFromEnvironment } from './options.js';
import { buildPlatform } from './platform.js';
import { crdFiles } from './operator.js';
import { SERVICES } from './services.js';

const args = process.argv.slice(2);
const flag = args.indexOf('--dashboards');
const crdFlag = args.indexOf('--chart-crds');
const schemaFlag = args.indexOf('--chart-values-schema');
const rulesFlag = args.indexOf('--chart-rules');
const loadFlag = args.indexOf('--chart-load-generator');
const stackFlag = args.indexOf('--chart-observability-stack');
if (stackFlag >= 0) {
  const dir = args[stackFlag + 1];
  if (!dir) throw new Error('--chart-observability-stack needs an output directory');
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(chartStackFiles(SERVICES))) {
    writeFileSync(path.join(dir, file), text);
    console.log(`wrote ${path.join(dir, file)}`);
  }
} else if (loadFlag >= 0) {
  const dir = args[loadFlag + 1];
  if (!dir) throw new Error('--chart-load-generator needs an output directory');
  mkdirSync(dir, { recursive: true });
  for (const key of Object.keys(LOAD_GENERATOR_SCRIPTS)) {
    writeFileSync(path.join(dir, key), loadGeneratorScript(key));
    console.log(`wrote ${path.join(dir, key)}`);
  }
} else if (rulesFlag >= 0) {
  const dir = args[rulesFlag + 1];
  if (!dir) throw new Error('--chart-rules needs an output directory');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, RULES_FILE), chartRulesJson(SERVICES));
  console.log(`wrote ${path.join(dir, RULES_FILE)}`);
} else if (schemaFlag >= 0) {
  const dir = args[schemaFlag + 1];
  if (!dir) throw new Error('--chart-values-schema needs the chart directory');
  writeFileSync(path.join(dir, VALUES_SCHEMA_FILE), chartValuesJsonSchema());
  console.log(`wrote ${path.join(dir, VALUES_SCHEMA_FILE)}`);
} else if (crdFlag >= 0) {
  const dir = args[crdFlag + 1];
  if (!dir) throw new Error('--chart-crds needs an output directory');
  mkdirSync(dir, { recursive: true });
  for (const [file, yaml] of Object.entries(crdFiles())) {
    writeFileSync(path.join(dir, file), yaml);
    console.log(`wrote ${path.join(dir, file)}`);
  }
} else if (flag >= 0) {
  const dirs = args.slice(flag + 1);
  if (dirs.length === 0) throw new Error('--dashboards needs at least one output directory');
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    for (const { file, dashboard } of buildDashboards(SERVICES)) {
      writeFileSync(path.join(dir, file), dashboardJson(dashboard));
      console.log(`wrote ${path.join(dir, file)}`);
    }
  }
} else {
  const outdir = process.env.CDK8S_OUTDIR ?? path.join(import.meta.dirname, '..', 'dist');
  const app = new App({ outdir });
  try {
    buildPlatform(app, optionsFromEnvironment(process.env));
  } catch (error) {
    // A value the user must give or fix (e.g. PUBLIC_URL with the production values): its message, no stack.
    console.error(`make synth: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  app.synth();
  console.log(`synthesized into ${outdir}`);
}
