import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { tokenize } from '../escpos.js';
import { phoneBrowser } from './phone-browser.js';

/**
 * The ESC/POS tokens of the ticket the simulated printer wrote for order `code` under `dataDir`, once
 * it is there (the print queue works after the answer); fails after `ms`.
 */
export async function simTicketTokens(dataDir: string, code: string, ms = 5_000) {
  const dir = join(dataDir, 'tickets');
  const started = Date.now();
  for (;;) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      // No ticket printed yet: the directory comes with the first.
    }
    const ticket = names
      .filter((name) => name.endsWith('.txt'))
      .find((name) => readFileSync(join(dir, name), 'utf8').includes(code));
    if (ticket !== undefined) return tokenize(readFileSync(join(dir, ticket.replace(/\.txt$/, '.bin'))));
    if (Date.now() - started > ms) throw new Error(`no ticket for ${code}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The customer opens the confirmation link on their phone and approves, paying on delivery; returns
 * the page they approved on.
 */
export async function approvePayingOnDelivery(appUrl: string, link: string): Promise<string> {
  const { opened, chosen: approved } = await phoneBrowser(appUrl).approve(link);
  expect(approved.status).toBe(200);
  expect(approved.html).toContain('You pay on delivery.');
  return opened.html;
}
