import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';
import { cacheDir, hackDir } from './paths.js';
import { parseVersionsEnv, versionOf, type ToolName, type ToolVersions } from './versions.js';

let cachedVersions: ToolVersions | undefined;

export function toolVersions(): ToolVersions {
  const file = path.join(hackDir, 'tools', 'versions.env');
  cachedVersions ??= parseVersionsEnv(readFileSync(file, 'utf8'), file);
  return cachedVersions;
}

/** ${TOURKIT_CACHE}/tools/<name>-<version>/<name>, where hack/tools/build.sh puts it. */
function cachedToolPath(name: ToolName): string {
  const version = versionOf(name, toolVersions());
  return path.join(cacheDir(), 'tools', `${name}-${version}`, name);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/**
 * The binary of a tool: the pinned build from the cache; with KUBECONFIG set (a cluster of the
 * user's own, e.g. kind), the user's tool from PATH is preferred when there is one.
 */
export function toolPath(name: ToolName): string {
  if (process.env.KUBECONFIG) {
    const onPath = findOnPath(name);
    if (onPath) return onPath;
  }
  return cachedToolPath(name);
}

/** Whether `toolPath(name)` is there to run (tests that need helm or k6 skip, loudly, without it). */
export function toolAvailable(name: ToolName): boolean {
  return isExecutable(toolPath(name));
}
