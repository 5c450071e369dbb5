// Writes config/crd/*.yaml from src/crd.ts (a test checks they are up to date).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CRD_FILES, crdYaml } from '../crd-yaml.js';

for (const [file, crd] of Object.entries(CRD_FILES)) {
  const target = fileURLToPath(new URL(`../../config/crd/${file}`, import.meta.url));
  writeFileSync(target, crdYaml(crd()));
  console.log(`wrote ${target}`);
}
