/**
 * `make up` with KUBECONFIG set: reads `kubectl config view --minify -o json` on stdin and the make
 * variables IMAGE_LOAD and REGISTRY from the environment, prints the decision of
 * ./cluster-target.ts as KEY=value lines (or, on stderr, what to set, and exits 2).
 */
import { readFileSync } from 'node:fs';
import { chooseClusterTarget, targetShellLines, type KubeconfigView } from './cluster-target.js';

try {
  const view = JSON.parse(readFileSync(0, 'utf8')) as KubeconfigView;
  const target = chooseClusterTarget(view, {
    imageLoad: process.env.IMAGE_LOAD,
    registry: process.env.REGISTRY,
  });
  process.stdout.write(targetShellLines(target));
} catch (error) {
  console.error(`make up: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
