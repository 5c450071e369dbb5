// Writes config/crd/scalingschedules.yaml from src/crd.ts (a test checks it is up to date).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crdYaml } from '../crd-yaml.js';

const target = fileURLToPath(new URL('../../config/crd/scalingschedules.yaml', import.meta.url));
writeFileSync(target, crdYaml());
console.log(`wrote ${target}`);
