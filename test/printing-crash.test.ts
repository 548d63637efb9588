import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../src/main.js';
import { printedLines, tokenize, unknownTokens } from './escpos.js';
import { capturePrinter, until } from './fixtures/capture-printer.js';
import { acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { type AppProcess, startAppProcess } from './helpers/app-process.js';
import { phoneBrowser } from './helpers/phone-browser.js';
import { PUBLIC_URL } from './helpers/start-app.js';

const printer = capturePrinter();
const children = new Set<ChildProcess>();
let dataDir = '';

/** `counterpi start` in a child process printing to the capture printer; resolves once it serves. */
function startServer(): Promise<AppProcess> {
  return startAppProcess({ DATA_DIR: dataDir, PUBLIC_URL, PRINTER: printer.url }, children);
}

function jobs(): { state: string; attempts: number; reprint: number }[] {
  const db = new Database(databaseFile(dataDir), { readonly: true });
  try {
    return db.prepare('SELECT state, attempts, reprint FROM print_jobs ORDER BY id').all() as {
      state: string;
      attempts: number;
      reprint: number;
    }[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'counterpi-print-crash-'));
  await printer.listen(0);
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await printer.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('printing across a crash', () => {
  it('prints one REPRINT after kill -9 between sending a ticket and marking it printed', async () => {
    // The printer takes the bytes and never confirms: the job stays in sending while we kill the app.
    printer.setMode('hold');
    const first = await startServer();
    const acp = acpClient(first.url, createTestAcpKey(dataDir).secret);
    const session = await acp.post('/checkout_sessions', {
      line_items: [{ id: 'cheeseburger' }],
      currency: 'usd',
    });
    const done = await acp.post(`/checkout_sessions/${session.body.id}/complete`, {
      buyer: { full_name: 'Hana Ito', email: 'hana@example.com', phone_number: '+15555550177' },
      payment_data: { handler_id: 'pay_at_pickup' },
    });
    expect(done.body.status).toBe('pending_approval');
    const link = String(done.body.continue_url);
    await phoneBrowser(first.url).approve(link);

    await until(() => printer.received.length === 1, 10_000);
    expect(jobs()).toMatchObject([{ state: 'sending', attempts: 1, reprint: 0 }]);
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;

    printer.setMode('print');
    const second = await startServer();
    await until(() => jobs()[0]?.state === 'printed', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(printer.received).toHaveLength(2);
    const [original, again] = printer.received.map((r) => printedLines(tokenize(r.bytes)));
    expect(original?.some((l) => l.text === 'REPRINT')).toBe(false);
    expect(again?.[0]).toMatchObject({ text: 'REPRINT', bold: true, invert: true, size: 2 });
    expect(again?.find((l) => l.text.startsWith('PAY AT PICKUP'))).toBeDefined();
    expect(unknownTokens(tokenize(printer.received[1]?.bytes ?? Buffer.alloc(0)))).toEqual([]);
    expect(jobs()).toEqual([{ state: 'printed', attempts: 2, reprint: 1 }]);
    expect(second.output()).toContain('print jobs cut short by the last stop print again, headed REPRINT');
    expect(second.output()).not.toContain('5555550177');

    const stopped = new Promise((resolve) => second.child.once('exit', resolve));
    second.child.kill('SIGTERM');
    await stopped;
  }, 60_000);
});
