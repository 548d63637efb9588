import { existsSync } from 'node:fs';
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
