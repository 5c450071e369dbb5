// The accessibility check itself: axe in Debian's chromium finds a serious violation where there
// is one, so the browser tests' "0 serious or critical" means something.
import type { Browser } from 'playwright-core';
import { launchChromium, seriousAxeViolations } from './support/browser.js';

let browser: Browser | undefined;

beforeAll(async () => {
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

test('an image without text and an unlabelled field are reported; the fixed page is clean', async () => {
  const page = await browser!.newPage();
  await page.setContent(
    '<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>t</h1>' +
      '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">' +
      '<input type="text"></main></body></html>',
  );
  const ids = (await seriousAxeViolations(page)).map((v) => v.id).sort();
  expect(ids).toEqual(['image-alt', 'label']);
  await page.setContent(
    '<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>t</h1>' +
      '<img alt="a dot" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">' +
      '<label>Name <input type="text"></label></main></body></html>',
  );
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.close();
}, 60_000);
