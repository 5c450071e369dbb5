import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is hack/testenv/src or hack/testenv/dist). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const hackDir = path.join(repoRoot, 'hack');

/** Where built tools and the local cluster live: ${TOURKIT_CACHE:-~/.cache/tourkit}. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TOURKIT_CACHE || path.join(homedir(), '.cache', 'tourkit');
}

export function localKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), 'cluster', 'kubeconfig');
}
