import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run as runCommand, type RunResult } from '@tourkit/testenv';

export type { RunResult };

/** hack/images, where build.sh, ctr.sh, containerd.sh and images.env live. */
export const IMAGES_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a command to completion (testenv's runner); `progress` copies its stderr to ours. */
export function run(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; progress?: boolean } = {},
): Promise<RunResult> {
  return runCommand(command, args, {
    ...(opts.env ? { env: opts.env } : {}),
    streamStderr: opts.progress ?? false,
  });
}

export async function runOrThrow(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; progress?: boolean } = {},
): Promise<string> {
  const result = await run(command, args, opts);
  if (result.code !== 0)
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.code}:\n${result.stderr.slice(-4000)}`,
    );
  return result.stdout;
}

/** KEY=value lines of images.env (comments and blank lines skipped; values taken literally). */
export function parseImagesEnv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) values[match[1]!] = match[2]!;
  }
  return values;
}

export function imagesEnv(): Record<string, string> {
  return parseImagesEnv(readFileSync(`${IMAGES_DIR}/images.env`, 'utf8'));
}

/** Each image build.sh reported, with whether it was a cache hit and the digest it reported. */
export function buildOutcomes(
  stderr: string,
): Map<string, { outcome: 'cached' | 'built'; digest: string }> {
  const outcomes = new Map<string, { outcome: 'cached' | 'built'; digest: string }>();
  for (const line of stderr.split('\n')) {
    const cached = /: (\S+) cached \((sha256:[0-9a-f]{64})/.exec(line);
    const built = /: (\S+) built in \S+ \((sha256:[0-9a-f]{64})/.exec(line);
    const match = cached ?? built;
    if (match) outcomes.set(match[1]!, { outcome: cached ? 'cached' : 'built', digest: match[2]! });
  }
  return outcomes;
}

/**
 * Build steps (RUN, COPY, ADD) that BuildKit ran instead of taking from its cache, per image, from
 * build.sh's progress (each image's section starts at its "building <image>" line; BuildKit numbers
 * the steps of each build from 1).
 */
export function uncachedSteps(stderr: string): string[] {
  const uncached: string[] = [];
  const sections = stderr.split(/^.*: building (?=\S+ \(BuildKit log)/m).slice(1);
  for (const section of sections) {
    const image = section.slice(0, section.indexOf(' '));
    const cached = new Set([...section.matchAll(/^\s+#(\d+) CACHED$/gm)].map((m) => m[1]));
    for (const step of section.matchAll(/^\s+#(\d+) (\[[^\]]+\] (?:RUN|COPY|ADD).*)$/gm))
      if (!cached.has(step[1])) uncached.push(`${image}: ${step[2]}`);
  }
  return uncached;
}

/** How many image builds build.sh's progress shows, and how many of their steps ran or were cached. */
export function countBuildSteps(stderr: string): { builds: number; steps: number } {
  return {
    builds: [...stderr.matchAll(/: building \S+ \(BuildKit log/g)].length,
    steps: [...stderr.matchAll(/^\s+#\d+ \[[^\]]+\] (?:RUN|COPY|ADD)/gm)].length,
  };
}
