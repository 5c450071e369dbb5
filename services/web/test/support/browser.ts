import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const WEB_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SCREENSHOT_DIR = path.join(WEB_ROOT, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's chromium, installed first when missing (scripts/ensure-chromium.sh), in a fresh profile. */
export async function launchChromium(): Promise<Browser> {
  execFileSync('bash', [path.join(WEB_ROOT, 'scripts', 'ensure-chromium.sh')], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CHROMIUM_PATH: CHROMIUM },
  });
  // launch() gives the browser a new empty user-data-dir of its own; contexts are isolated within it.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page (WCAG 2.x A/AA rules and best practices) and returns the serious and
 * critical violations, each with the elements it found, so a failing test says what to fix.
 * Injected with evaluate, not a <script> tag: the page's Content-Security-Policy forbids inline
 * scripts, as it should.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  // The callback runs in the page; its globals are typed here as much as it uses of them.
  const violations = (await page.evaluate(async () => {
    const page = globalThis as unknown as {
      document: unknown;
      axe: { run(context: unknown, options: unknown): Promise<{ violations: unknown[] }> };
    };
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return result.violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
}

/** Full-page screenshot to screenshots/<name>.png (gitignored; docs/ holds the two the README shows). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Builds the browser app into dist/public (vite), so the tests always serve the current source. */
export function buildBundle(): void {
  execFileSync(
    process.execPath,
    [
      path.join(WEB_ROOT, '..', '..', 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--logLevel',
      'warn',
    ],
    {
      cwd: WEB_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
}
