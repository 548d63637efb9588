import { type ChildProcess, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmdirSync,
  rmSync,
  statfsSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../src/main.js';
import { printedLines, tokenize } from './escpos.js';
import { capturePrinter, until } from './fixtures/capture-printer.js';
import { type AcpCall, acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { acpSchemaErrors } from './helpers/acp-schemas.js';
import { type AppProcess, startAppProcess } from './helpers/app-process.js';
import { mcpToolCall } from './helpers/mcp-post.js';
import { ownerBrowser, PASSWORD, shopForm } from './helpers/owner-browser.js';
import { phoneBrowser } from './helpers/phone-browser.js';
import { runCli } from './helpers/run-cli.js';
import { PUBLIC_URL } from './helpers/start-app.js';

/** A real full disk: a small tmpfs mounted for this file (root may mount; elsewhere the file is skipped). */
const MOUNT = mkdtempSync(join(tmpdir(), 'counterpi-disk-full-'));
const mountRefused = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', MOUNT], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    rmdirSync(MOUNT);
    return String((error as { stderr?: Buffer }).stderr ?? error).trim() || 'mount failed';
  }
})();

const DATA_DIR = join(MOUNT, 'data');
const FILLER = join(MOUNT, 'filler');
const RESERVE_MB = 16;
const printer = capturePrinter();
const children = new Set<ChildProcess>();
let printerPort = 0;
let app: AppProcess;
let acp: ReturnType<typeof acpClient>;
let token = '';

const env = () => ({
  DATA_DIR,
  PUBLIC_URL,
  PRINTER: printer.url,
  ADMIN_PASSWORD: PASSWORD,
  DISK_RESERVE_MB: String(RESERVE_MB),
});
const freeBytes = () => {
  const stats = statfsSync(MOUNT);
  return stats.bavail * stats.bsize;
};

/** Fills the disk with one file until only `leave` bytes are free (0: until the very last byte). */
function fill(leave = 0): void {
  const fd = openSync(FILLER, 'a');
  try {
    const chunk = Buffer.alloc(1024 * 1024, 1);
    let left = freeBytes() - leave;
    while (left >= chunk.length) {
      writeSync(fd, chunk);
      left -= chunk.length;
    }
    if (leave > 0) return;
    for (const size of [4096, 1]) {
      try {
        for (;;) writeSync(fd, Buffer.alloc(size, 1));
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
}
const unfill = () => rmSync(FILLER, { force: true });

function unmount(): void {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    try {
      execFileSync('umount', [MOUNT], { stdio: 'pipe' });
      rmdirSync(MOUNT);
      return;
    } catch {
      execFileSync('sleep', ['0.25']);
    }
  }
  execFileSync('umount', ['-l', MOUNT], { stdio: 'pipe' });
}

function mcp(name: string, args: Record<string, unknown>): Promise<{ isError?: boolean; text: string }> {
  return mcpToolCall(app.url, token, name, args).then(async (res) => {
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      result: { isError?: boolean; content: { text: string }[]; structuredContent?: unknown };
    };
    return { isError: body.result.isError, text: body.result.content.map((c) => c.text).join('\n') };
  });
}

const newSession = () =>
  acp.post('/checkout_sessions', { line_items: [{ id: 'cheeseburger' }], currency: 'usd' });

/** A checkout completed, waiting for the customer's approval on the phone: its confirmation link. */
async function placed(name: string): Promise<string> {
  const session = await newSession();
  expect(session.status).toBe(201);
  const done = await acp.post(`/checkout_sessions/${session.body.id}/complete`, {
    buyer: { full_name: name, email: 'guest@example.com', phone_number: '+15555550123' },
    payment_data: { handler_id: 'pay_at_pickup' },
  });
  expect(done.body.status).toBe('pending_approval');
  return String(done.body.continue_url);
}

async function approve(link: string): Promise<void> {
  const { opened, chosen } = await phoneBrowser(app.url).approve(link);
  expect(opened.status).toBe(200);
  expect(chosen.status).toBeLessThan(400);
}

function expectStorageFull(call: AcpCall): void {
  expect(call.status).toBe(503);
  expect(call.body).toMatchObject({ type: 'processing_error', code: 'storage_full' });
  expect(String(call.body.message)).toContain('cannot take orders right now');
  expect(call.headers.get('retry-after')).toBe('60');
  expect(acpSchemaErrors('checkout', 'Error', call.body)).toEqual([]);
}

async function ready(): Promise<{ status: number; store: { ok: boolean; detail: string } }> {
  const res = await fetch(`${app.url}/ready`);
  const body = (await res.json()) as { components: { name: string; ok: boolean; detail: string }[] };
  const store = body.components.find((c) => c.name === 'store');
  return { status: res.status, store: store ?? { ok: false, detail: 'missing' } };
}

async function waitFor(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function table<T>(sql: string): T[] {
  const db = new Database(databaseFile(DATA_DIR), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** Checkpoints the WAL into the database and truncates it to nothing, from a connection of the test's own. */
function truncateWal(): void {
  const db = new Database(databaseFile(DATA_DIR), { timeout: 5000 });
  try {
    expect(db.pragma('wal_checkpoint(TRUNCATE)')).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
  } finally {
    db.close();
  }
}

const logLines = () =>
  app
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '');

beforeAll(async () => {
  if (mountRefused !== undefined) return;
  mkdirSync(DATA_DIR);
  printerPort = await printer.listen(0);
  app = await startAppProcess(env(), children);
  // Open around the clock, printing to the capture printer.
  const owner = ownerBrowser(app.url);
  await owner.login();
  const page = await owner.get('/admin/onboarding');
  await owner.post('/admin/onboarding', shopForm(page.csrf ?? ''));
  const step = await owner.get('/admin/onboarding/printer');
  const done = await owner.post('/admin/onboarding/printer', {
    csrf: step.csrf ?? '',
    kind: 'tcp',
    host: '127.0.0.1',
    port: String(printerPort),
    paper: '80',
    action: 'next',
  });
  expect(done.location).toBe('/admin/onboarding/address');
  const address = await owner.get('/admin/onboarding/address');
  const finished = await owner.post('/admin/onboarding/address', {
    csrf: address.csrf ?? '',
    action: 'skip',
  });
  expect(finished.location).toBe('/admin');
  acp = acpClient(app.url, createTestAcpKey(DATA_DIR).secret);
  const issued = await runCli(['token', 'issue', '--name', 'Ada'], env());
  expect(issued.code).toBe(0);
  token = issued.stdout.trim();
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await printer.close();
  if (mountRefused !== undefined) return;
  await until(() => children.size === 0, 5000).catch(() => undefined);
  unmount();
}, 30_000);

const onTmpfs = mountRefused === undefined ? describe : describe.skip;

onTmpfs(
  `a full disk (a 64 MB tmpfs)${mountRefused === undefined ? '' : ` — skipped: ${mountRefused}`}`,
  () => {
    const links: string[] = [];
    let sessionId = '';
    let cartOrderId = '';

    it('keeps printing paid orders from memory while the disk is full', async () => {
      expect(freeBytes()).toBeGreaterThan(RESERVE_MB * 1024 * 1024);
      // Paid while the printer is off: three tickets wait in the queue.
      await printer.close();
      for (const name of ['Ann', 'Ben', 'Cy']) await approve(await placed(name));
      links.push(await placed('Dee')); // approved later, below the reserve
      const session = await newSession();
      sessionId = String(session.body.id);
      const cart = await mcp('create_order', {
        idempotency_key: randomUUID(),
        lines: [{ item_id: 'fries', quantity: 1 }],
        customer_name: 'Ada',
        customer_phone: '+1 555 123 4567',
      });
      expect(cart.isError).toBeFalsy();
      cartOrderId = /\((ord_\w+)\)/.exec(cart.text)?.[1] ?? '';
      expect(table<{ n: number }>("SELECT count(*) AS n FROM print_jobs WHERE state = 'pending'")).toEqual([
        { n: 3 },
      ]);

      // An empty WAL, so that no write finds room left in it once the disk is full.
      truncateWal();
      fill();
      expect(freeBytes()).toBe(0);
      await printer.listen(printerPort);
      await until(() => printer.received.length === 3, 30_000);
      const tickets = printer.received.map((r) => printedLines(tokenize(r.bytes)).map((l) => l.text));
      expect(tickets.every((lines) => !lines.includes('REPRINT'))).toBe(true);
      expect(tickets.map((lines) => lines.find((l) => /Ann|Ben|Cy/.test(l)))).toHaveLength(3);
    }, 90_000);

    it('answers every refused request with one clear error, logged once, and reports the store degraded', async () => {
      await waitFor(async () => (await ready()).status === 503);
      const before = logLines().length;
      const refused: AcpCall[] = [];
      const ungated: AcpCall[] = [];
      const tools: { isError?: boolean; text: string }[] = [];
      for (let round = 0; round < 100; round += 1) {
        refused.push(await newSession());
        ungated.push(await acp.post(`/checkout_sessions/${sessionId}`, { line_items: [{ id: 'fries' }] }));
        tools.push(
          await mcp('create_order', {
            idempotency_key: randomUUID(),
            lines: [{ item_id: 'fries', quantity: 1 }],
            customer_name: 'Bo',
            customer_phone: '+1 555 123 4500',
          }),
        );
        tools.push(
          await mcp('update_order', {
            idempotency_key: randomUUID(),
            order_id: cartOrderId,
            customer_name: `Ada ${round}`,
          }),
        );
      }
      for (const call of refused) expectStorageFull(call);
      // Updates of a session already open are not gated: each one either found room in the WAL or got
      // the same clear error, never a 500.
      for (const call of ungated) if (call.status !== 200) expectStorageFull(call);
      expect(ungated.filter((call) => call.status === 503).length).toBeGreaterThan(50);
      const toolErrors = tools.filter((t) => t.isError === true);
      expect(toolErrors.length).toBeGreaterThan(150);
      for (const tool of toolErrors) {
        expect(tool.text).toContain('cannot take orders right now');
        expect(tool.text).toContain('(error code: storage_full)');
      }
      const { status, store } = await ready();
      expect(status).toBe(503);
      expect(store).toMatchObject({
        ok: false,
        detail: expect.stringMatching(/degraded: disk full, 0 B free/),
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const logged = logLines().slice(before);
      // 400 refused requests: a line or two from the storage state, no stack, no line per request.
      expect(logged.length, logged.join('\n')).toBeLessThanOrEqual(4);
      expect(logged.join('\n')).not.toContain('"stack"');

      // The owner signing in writes a session outside the store's transactions: the same answer, no stack.
      const owner = ownerBrowser(app.url);
      const signedIn = await owner.login();
      expect(signedIn.status, signedIn.text.slice(0, 300)).toBe(503);
      expect(JSON.parse(signedIn.text)).toMatchObject({ error: { code: 'storage_full' } });
      // So does the sign-in server registering an assistant: OAuth's temporarily_unavailable, not a 500.
      const registered = await fetch(`${app.url}/oauth/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: ['https://assistant.example/cb'],
          token_endpoint_auth_method: 'none',
        }),
      });
      expect(registered.status).toBe(503);
      expect(await registered.json()).toMatchObject({ error: 'temporarily_unavailable' });
      expect(logLines().slice(before).join('\n')).not.toContain('"stack"');

      // The customer's phone: the approval cannot be recorded, and the page says why; nothing is lost.
      const { chosen } = await phoneBrowser(app.url).approve(links[0] ?? '');
      expect(chosen.status).toBe(503);
      expect(chosen.html).toContain('cannot take orders right now');
    }, 120_000);

    it('below the reserve: refuses new orders, confirms and prints those taken, alerts the owner', async () => {
      unfill();
      fill(8 * 1024 * 1024);
      await waitFor(async () => /below the 16 MB reserve/.test((await ready()).store.detail));
      // The tickets printed while the disk was full are recorded now, each order in the kitchen.
      await waitFor(async () =>
        table<{ state: string }>('SELECT state FROM print_jobs').every((job) => job.state === 'printed'),
      );
      const jobs = table<{ state: string; attempts: number; reprint: number; last_error: string }>(
        'SELECT state, attempts, reprint, last_error FROM print_jobs ORDER BY id',
      );
      expect(jobs).toHaveLength(3);
      for (const job of jobs) {
        expect(job).toMatchObject({ state: 'printed', reprint: 0 });
        expect(job.last_error).toContain('printed while the disk was full');
      }
      expect(table("SELECT state FROM orders WHERE state IN ('paid', 'in_kitchen')")).toEqual(
        Array(3).fill({ state: 'in_kitchen' }),
      );
      expectStorageFull(await newSession());
      const refusedTool = await mcp('create_order', {
        idempotency_key: randomUUID(),
        lines: [{ item_id: 'fries', quantity: 1 }],
        customer_name: 'Bo',
        customer_phone: '+1 555 123 4500',
      });
      expect(refusedTool.text).toContain('(error code: storage_full)');
      await approve(links[0] ?? '');
      await until(() => printer.received.length === 4, 15_000);

      const owner = ownerBrowser(app.url);
      await owner.login();
      const dashboard = await owner.get('/admin');
      expect(dashboard.status).toBe(200);
      expect(dashboard.text).toMatch(
        /role="alert">The memory card is nearly full: [\d.]+ MB free, less than the 16 MB/,
      );
      expect(dashboard.text).toContain('Orders already taken are still confirmed and printed');
    }, 90_000);

    it('resumes by itself once space returns: new orders taken, every ticket printed once', async () => {
      unfill();
      await waitFor(async () => (await ready()).status === 200);
      expect((await ready()).store.detail).toMatch(/MB free \(reserve 16 MB\)/);
      expect((await newSession()).status).toBe(201);
      const canceled = await mcp('cancel_order', { idempotency_key: randomUUID(), order_id: cartOrderId });
      expect(canceled.isError).toBeFalsy();
      const tool = await mcp('create_order', {
        idempotency_key: randomUUID(),
        lines: [{ item_id: 'fries', quantity: 1 }],
        customer_name: 'Bo',
        customer_phone: '+1 555 123 4500',
      });
      expect(tool.isError).toBeFalsy();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(printer.received).toHaveLength(4);
      expect(app.output()).toContain('disk space is back: taking new orders again');
    }, 60_000);

    it('says at start-up that the disk is full, with the path and the free space', async () => {
      const stopped = new Promise((resolve) => app.child.once('exit', resolve));
      app.child.kill('SIGTERM');
      await stopped;
      fill();
      const start = startAppProcess(env(), children);
      await expect(start).rejects.toThrow(
        new RegExp(`disk holding ${databaseFile(DATA_DIR)} is full \\(0 B free in ${DATA_DIR}\\)`),
      );
      await expect(start).rejects.toThrow(/counterpi exited with 1/);
      unfill();
    }, 60_000);
  },
);
