// Runs the real k6 binary (the pinned build) for the tests, with nothing sent off the machine.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolAvailable, toolPath } from '@tourkit/testenv';
import { parseK6Summary, summarizeRun, type RunSummary } from '../src/k6-summary.js';

export const scriptsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../scripts');
export const k6Binary = toolPath('k6');
export const k6Built = toolAvailable('k6');

export interface K6Run {
  exitCode: number;
  stderr: string;
  summary?: RunSummary;
}

export async function runK6(script: string, env: Record<string, string>): Promise<K6Run> {
  const summaryFile = path.join(mkdtempSync(path.join(tmpdir(), 'tourkit-k6-')), 'summary.json');
  const child = spawn(
    k6Binary,
    [
      'run',
      '--quiet',
      '--address',
      '',
      '--summary-export',
      summaryFile,
      path.join(scriptsDir, `${script}.js`),
    ],
    {
      // Only what the script needs: no stray BASE_URL or ALLOW_NON_LOOPBACK from the caller's shell.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        K6_NO_USAGE_REPORT: 'true',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = await new Promise<number>((resolve) =>
    child.on('exit', (code) => resolve(code ?? 1)),
  );
  let summary: RunSummary | undefined;
  try {
    summary = summarizeRun(parseK6Summary(readFileSync(summaryFile, 'utf8'), summaryFile));
  } catch {
    summary = undefined;
  }
  return { exitCode, stderr, ...(summary ? { summary } : {}) };
}
