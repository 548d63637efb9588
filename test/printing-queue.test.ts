import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { type Counterpi, databaseFile, startCounterpi } from '../src/main.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { printedLines, tokenize, unknownTokens } from './escpos.js';
import { type CaptureMode, capturePrinter, until } from './fixtures/capture-printer.js';
import type { ToolAnswer } from './helpers/mcp-answer.js';
import { phoneBrowser } from './helpers/phone-browser.js';
import { PUBLIC_URL, TEST_CUSTOMER_HEADER } from './helpers/start-app.js';

type Structured = Record<string, unknown> & { order_id: string; status: string; confirmation_url?: string };
type CallResult = ToolAnswer<Structured>;

const running: { app: Counterpi; dataDir: string; client?: Client }[] = [];
const printers: ReturnType<typeof capturePrinter>[] = [];
afterEach(async () => {
  for (const { app, dataDir, client } of running.splice(0)) {
    await client?.close();
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  for (const printer of printers.splice(0)) await printer.close();
});

// Noon on a Tuesday in New York, running on with real time: printer retries are real waits.
const SHIFT_MS = Date.parse('2026-11-24T17:00:00Z') - Date.now();

/** The real app with PRINTER pointing at `printer`, and retries in milliseconds. */
async function startShop(printer: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'counterpi-printing-'));
  const app = await startCounterpi(
    loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', PUBLIC_URL, PRINTER: printer }),
    {
      log: createSilentLogger(),
      clock: { now: () => new Date(Date.now() + SHIFT_MS) },
      resolveCustomer: (header) => ({
        subject: header(TEST_CUSTOMER_HEADER) ?? 'customer-1',
        scopes: ['menu:read', 'order:write'],
      }),
      printing: { pollMs: 20, sendTimeoutMs: 300, backoff: { baseMs: 50, maxMs: 200 } },
    },
  );
  const client = new Client({ name: 'counterpi-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${app.url}/mcp`), {
      requestInit: { headers: { [TEST_CUSTOMER_HEADER]: 'ada' } },
    }),
  );
  running.push({ app, dataDir, client });
  const call = async (tool: string, args: Record<string, unknown>) =>
    (await client.callTool({ name: tool, arguments: args })) as CallResult;
  type JobRow = { state: string; attempts: number; reprint: number; last_error: string | null };
  const jobs = () => {
    const db = new Database(databaseFile(dataDir), { readonly: true });
    try {
      return db.prepare('SELECT * FROM print_jobs ORDER BY id').all() as JobRow[];
    } finally {
      db.close();
    }
  };
  /** The first job once `check` holds for it: one read, so the assertions see what the check saw. */
  const jobWhen = async (check: (job: JobRow) => boolean) => {
    let seen: JobRow | undefined;
    await until(() => {
      seen = jobs()[0];
      return seen !== undefined && check(seen);
    });
    return seen;
  };
  const status = async (orderId: string) => {
    const answer = await call('get_order_status', { order_id: orderId });
    return ((answer.structuredContent?.orders ?? []) as Structured[])[0]?.status;
  };
  const ready = async () => {
    const res = await fetch(`${app.url}/ready`);
    const body = (await res.json()) as { components: { name: string; ok: boolean; detail: string }[] };
    return { status: res.status, printer: body.components.find((c) => c.name === 'printer') };
  };
  return { app, call, jobs, jobWhen, status, ready };
}

/** An assistant orders over MCP; the customer approves on their phone. Returns the order id. */
async function orderAndApprove(shop: Awaited<ReturnType<typeof startShop>>): Promise<string> {
  const created = await shop.call('create_order', {
    idempotency_key: randomUUID(),
    lines: [
      {
        item_id: 'cheeseburger',
        quantity: 2,
        option_ids: ['no-onions'],
        note: 'well done\u001bp\u0000\u0019',
      },
    ],
    customer_name: 'Ada Lovelace',
    customer_phone: '+15555550123',
  });
  const orderId = created.structuredContent?.order_id ?? '';
  const placed = await shop.call('place_order', { idempotency_key: randomUUID(), order_id: orderId });
  const link = placed.structuredContent?.confirmation_url ?? '';
  const phone = phoneBrowser(shop.app.url);
  const page = await phone.open(link);
  const done = await phone.choose(link, { csrf: page.csrf, decision: 'approve', payment: 'online' });
  expect(done.status).toBe(200);
  return orderId;
}

async function printerAt(mode: CaptureMode = 'print') {
  const printer = capturePrinter();
  printers.push(printer);
  printer.setMode(mode);
  await printer.listen(0);
  return printer;
}

describe('a paid order reaches the kitchen printer', () => {
  it('prints one ticket for an order approved on the phone, and the order is in the kitchen', async () => {
    // A kitchen printer that answers the status query and keeps the socket open.
    const printer = await printerAt('answer');
    const shop = await startShop(printer.url);
    const orderId = await orderAndApprove(shop);
    await until(() => printer.received.length === 1);
    await until(() => shop.jobs()[0]?.state === 'printed');
    expect(await shop.status(orderId)).toBe('in_kitchen');

    const tokens = tokenize(printer.received[0]?.bytes ?? Buffer.alloc(0));
    expect(unknownTokens(tokens)).toEqual([]);
    const text = printedLines(tokens).map((l) => l.text.trim());
    expect(text).toContain('For Ada');
    expect(text).toContain('2 x Cheeseburger');
    expect(text).toContain('+ No onions');
    expect(text).toContain('NOTE: well donep');
    expect(text.find((l) => l.startsWith('PAID'))).toMatch(/^PAID +\$\d+\.\d\d$/);
    expect(text.join('\n')).not.toMatch(/Lovelace|5550123|REPRINT/);
    expect(tokens.filter((t) => t.t === 'qr_store')).toEqual([
      { t: 'qr_store', data: `${PUBLIC_URL}/o/${orderId}` },
    ]);
    expect(await shop.ready()).toMatchObject({
      status: 200,
      printer: { ok: true, detail: 'online: last ticket printed; 0 ticket(s) waiting' },
    });
  });

  it('keeps the ticket while the printer is off or stalled, then prints it exactly once', async () => {
    const printer = await printerAt();
    const port = Number(new URL(printer.url.replace('tcp:', 'http:')).port);
    await printer.close();
    const shop = await startShop(printer.url);
    const orderId = await orderAndApprove(shop);

    // Off: connections are refused; the order is paid, the shop still ready, the printer shown offline.
    const refused = await shop.jobWhen((job) => job.state === 'pending' && job.attempts >= 2);
    expect(refused).toMatchObject({
      reprint: 0,
      last_error: 'connection refused (printer off, or another port?)',
    });
    expect(await shop.status(orderId)).toBe('paid');
    const off = await shop.ready();
    expect(off.status).toBe(200);
    expect(off.printer).toMatchObject({ ok: false });
    expect(off.printer?.detail).toContain('offline: connection refused');

    // On, but taking no data: each attempt times out and may have reached it, so the next is REPRINT.
    printer.setMode('stall');
    await printer.listen(port);
    const before = shop.jobs()[0]?.attempts ?? 0;
    const stalled = await shop.jobWhen((job) => job.state === 'pending' && job.attempts >= before + 2);
    expect(stalled).toMatchObject({
      reprint: 1,
      last_error: expect.stringContaining('did not take the ticket'),
    });
    expect(printer.received).toHaveLength(0);

    // Back for real: exactly one ticket comes out, headed REPRINT, and the order moves to the kitchen.
    await printer.close();
    printer.setMode('print');
    await printer.listen(port);
    await until(() => shop.jobs()[0]?.state === 'printed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(printer.received).toHaveLength(1);
    const lines = printedLines(tokenize(printer.received[0]?.bytes ?? Buffer.alloc(0)));
    expect(lines[0]).toMatchObject({ text: 'REPRINT', invert: true, size: 2 });
    expect(await shop.status(orderId)).toBe('in_kitchen');
    expect((await shop.ready()).printer).toMatchObject({ ok: true });
  });
});
