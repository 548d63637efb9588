import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests can run here; they are skipped, and say why, where it is missing. */
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Clicks a submit button and returns the answer to the form it sends, once the next page has loaded. */
export async function submit(page: Page, button: string) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.click(button),
  ]);
  await page.waitForLoadState();
  return response;
}

/** A phone's screen, as the owner and the customers hold it. */
export const PHONE = { width: 390, height: 844 } as const;

/**
 * Screenshots the whole page into `dir` (named after `name`) and measures it: a page that scrolls
 * sideways on a phone has a document wider than the screen, and so has its full-page screenshot.
 */
export async function phoneShot(
  page: Page,
  dir: string,
  name: string,
): Promise<{ scrollWidth: number; clientWidth: number; shotWidth: number }> {
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  // A string: this project's TypeScript has no DOM types; it runs in the page.
  const [scrollWidth, clientWidth] = (await page.evaluate(
    '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
  )) as [number, number];
  // PNG: the IHDR chunk's width is the big-endian word at byte 16.
  return { scrollWidth, clientWidth, shotWidth: readFileSync(file).readUInt32BE(16) };
}
