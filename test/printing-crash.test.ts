import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../src/main.js';
import { runMigrations } from '../src/store/migrations.js';
import { printedLines, tokenize, unknownTokens } from './escpos.js';
import { capturePrinter, until } from './fixtures/capture-printer.js';
import { acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { type AppProcess, startAppProcess } from './helpers/app-process.js';
import { phoneBrowser } from './helpers/phone-browser.js';
import { PUBLIC_URL } from './helpers/start-app.js';

const printer = capturePrinter();
const children = new Set<ChildProcess>();
let dataDir = '';
const dataDirs: string[] = [];

/** `counterpi start` in a child process printing to the capture printer; resolves once it serves. */
function startServer(): Promise<AppProcess> {
  return startAppProcess({ DATA_DIR: dataDir, PUBLIC_URL, PRINTER: printer.url }, children);
}

type JobRow = { state: string; attempts: number; reprint: number; station_name?: string | null };

function jobs(columns = 'state, attempts, reprint'): JobRow[] {
  const db = new Database(databaseFile(dataDir), { readonly: true });
  try {
    return db.prepare(`SELECT ${columns} FROM print_jobs ORDER BY id`).all() as JobRow[];
  } finally {
    db.close();
  }
}

/** An ACP order of `items`, paid at pickup, approved on the phone. */
async function orderAndApprove(url: string, items: string[]): Promise<void> {
  const acp = acpClient(url, createTestAcpKey(dataDir).secret);
  const session = await acp.post('/checkout_sessions', {
    line_items: items.map((id) => ({ id })),
    currency: 'usd',
  });
  const done = await acp.post(`/checkout_sessions/${session.body.id}/complete`, {
    buyer: { full_name: 'Hana Ito', email: 'hana@example.com', phone_number: '+15555550177' },
    payment_data: { handler_id: 'pay_at_pickup' },
  });
  expect(done.body.status).toBe('pending_approval');
  await phoneBrowser(url).approve(String(done.body.continue_url));
}

async function killed(app: AppProcess, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  const exited = new Promise((resolve) => app.child.once('exit', resolve));
  app.child.kill(signal);
  await exited;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'counterpi-print-crash-'));
  dataDirs.push(dataDir);
  await printer.listen(0);
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await printer.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
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

/** Three stations with their own capture printers, as the owner set them up before this run. */
function addStations(ports: Record<'Grill' | 'Fryer' | 'Drinks', string>): void {
  const db = new Database(databaseFile(dataDir));
  try {
    runMigrations(db);
    const add = db.prepare('INSERT INTO stations (name, printer, created_at) VALUES (?, ?, 0)');
    const route = db.prepare(
      "INSERT INTO station_routes (target_kind, target_id, station_id) VALUES ('category', ?, ?)",
    );
    for (const [name, category] of [
      ['Grill', 'burgers'],
      ['Fryer', 'sides'],
      ['Drinks', 'drinks'],
    ] as const) {
      const printer = JSON.stringify({ kind: 'tcp', host: '127.0.0.1', port: Number(ports[name]) });
      route.run(category, add.run(name, printer).lastInsertRowid);
    }
  } finally {
    db.close();
  }
}

describe('printing per station across a crash', () => {
  it('after kill -9 between stations’ sends, prints only the unsent and uncertain station tickets, the uncertain ones REPRINT', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'counterpi-print-crash-stations-'));
    dataDirs.push(dataDir);
    const expo = capturePrinter();
    const [grill, fryer, drinks] = [capturePrinter(), capturePrinter(), capturePrinter()];
    const port = (p: ReturnType<typeof capturePrinter>) => p.listen(0).then(String);
    const ports = { Grill: await port(grill), Fryer: await port(fryer), Drinks: await port(drinks) };
    await port(expo);
    const start = () => startAppProcess({ DATA_DIR: dataDir, PUBLIC_URL, PRINTER: expo.url }, children);
    try {
      addStations(ports);
      // The grill takes the bytes and never confirms (its job stays in sending); the fryer is off.
      grill.setMode('hold');
      await fryer.close();
      const first = await start();
      await orderAndApprove(first.url, ['cheeseburger', 'fries', 'cola']);
      await until(() => [grill, drinks, expo].every((p) => p.received.length === 1), 10_000);
      const settled = () =>
        jobs()
          .map((j) => j.state)
          .join() === 'sending,pending,printed,printed';
      await until(() => settled() && (jobs()[1]?.attempts ?? 0) >= 1, 10_000);
      expect(jobs('station_name, state, reprint')).toEqual([
        { station_name: 'Grill', state: 'sending', reprint: 0 },
        { station_name: 'Fryer', state: 'pending', reprint: 0 },
        { station_name: 'Drinks', state: 'printed', reprint: 0 },
        { station_name: null, state: 'printed', reprint: 0 },
      ]);
      await killed(first, 'SIGKILL');

      grill.setMode('print');
      await fryer.listen(Number(ports.Fryer));
      const second = await start();
      await until(() => jobs().every((j) => j.state === 'printed'), 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The grill's uncertain ticket again, headed REPRINT; the fryer's first and only one, plain.
      expect([grill, fryer, drinks, expo].map((p) => p.received.length)).toEqual([2, 1, 1, 1]);
      const lines = (p: ReturnType<typeof capturePrinter>, n: number) =>
        printedLines(tokenize(p.received[n]?.bytes ?? Buffer.alloc(0))).map((l) => l.text.trim());
      expect(lines(grill, 1).slice(0, 3)).toEqual(['REPRINT', 'GRILL', 'Station 1 of 3']);
      expect(lines(grill, 1)).toContain('1 x Cheeseburger');
      expect(lines(fryer, 0).slice(0, 2)).toEqual(['FRYER', 'Station 2 of 3']);
      expect(lines(fryer, 0)).toContain('1 x Fries');
      expect(jobs('station_name, state, reprint')).toEqual([
        { station_name: 'Grill', state: 'printed', reprint: 1 },
        { station_name: 'Fryer', state: 'printed', reprint: 0 },
        { station_name: 'Drinks', state: 'printed', reprint: 0 },
        { station_name: null, state: 'printed', reprint: 0 },
      ]);
      await killed(second, 'SIGTERM');
    } finally {
      for (const p of [expo, grill, fryer, drinks]) await p.close();
    }
  }, 60_000);
});
