/** A picture of a report page, taken by Debian's Chromium, headless (the browser tests use the same one). */
import path from 'node:path';

export async function screenshot(htmlFile: string, pngFile: string): Promise<void> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1040, height: 900 } });
    await page.goto(`file://${path.resolve(htmlFile)}`);
    await page.screenshot({ path: pngFile, fullPage: false });
  } finally {
    await browser.close();
  }
}
