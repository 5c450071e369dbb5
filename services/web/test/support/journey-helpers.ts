import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { eventually } from '@tourkit/e2e/support/eventually';
import { SCREENSHOT_DIR, screenshot, seriousAxeViolations, type AxeViolation } from './browser.js';

/** Every page the tests visit: its axe result and screenshot, reported together at the end. */
export class PageAudit {
  readonly visited: { name: string; url: string; violations: AxeViolation[] }[] = [];

  /** Screenshot and axe check of the page as it is now. */
  async check(page: Page, name: string): Promise<void> {
    await screenshot(page, name);
    const violations = await seriousAxeViolations(page);
    this.visited.push({ name, url: page.url(), violations });
  }

  /** Writes screenshots/axe-report.json and returns the pages with serious or critical violations. */
  failures(): { name: string; url: string; violations: AxeViolation[] }[] {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(
      path.join(SCREENSHOT_DIR, `axe-report-${this.visited[0]?.name ?? 'none'}.json`),
      JSON.stringify(this.visited, null, 2),
    );
    return this.visited.filter((entry) => entry.violations.length > 0);
  }
}

/** Presses Tab until the focused element satisfies `isTarget` (at most `limit` presses). */
export async function tabTo(
  page: Page,
  describe: string,
  isTarget: (el: { tag: string; id: string; text: string }) => boolean,
  limit = 40,
): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      interface Focused {
        tagName: string;
        id: string;
        textContent: string | null;
      }
      const doc = (globalThis as unknown as { document: { activeElement: Focused | null } })
        .document;
      const el = doc.activeElement;
      return {
        tag: el?.tagName.toLowerCase() ?? '',
        id: el?.id ?? '',
        text: el?.textContent?.trim() ?? '',
      };
    });
    if (isTarget(focused)) return;
  }
  throw new Error(`Tab never reached ${describe} in ${limit} presses`);
}

export async function expectVisible(locator: Locator, timeout = 20_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** Waits until the element's text is `text` (the page is live: quotes and statuses change). */
export async function expectText(locator: Locator, text: string, timeout = 20_000): Promise<void> {
  await eventually(
    `text "${text}"`,
    async () => (await locator.first().textContent({ timeout: 1_000 }))?.trim() === text,
    { timeoutMs: timeout, intervalMs: 200 },
  );
}
