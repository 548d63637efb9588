import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { type Counterpi, databaseFile, startCounterpi } from '../src/main.js';
import { type Clock, createManualClock, systemClock } from '../src/platform/clock.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { restoreDatabase } from '../src/services/operations/restore.js';
import { createTestAcpKey, placePickupOrder as placeOrder } from './helpers/acp-client.js';
import { runCli } from './helpers/run-cli.js';
import { PUBLIC_URL, TEST_CUSTOMER_HEADER } from './helpers/start-app.js';

const dataDir = mkdtempSync(join(tmpdir(), 'counterpi-restore-'));
const backupsDir = join(dataDir, 'backups');
const running: Counterpi[] = [];

afterAll(async () => {
  await Promise.all(running.map((app) => app.stop()));
  rmSync(dataDir, { recursive: true, force: true });
});

/** The real app on loopback; its self-check reaches PUBLIC_URL through a stand-in tunnel to itself. */
async function start(options: { catchUpDelayMs?: number; clock?: Clock } = {}): Promise<Counterpi> {
  let url = 'http://127.0.0.1:1';
  const app = await startCounterpi(
    loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', PUBLIC_URL }),
    {
      log: createSilentLogger(),
      clock: options.clock ?? createManualClock('2026-11-24T17:00:00Z'),
      resolveCustomer: (header) => ({
        subject: header(TEST_CUSTOMER_HEADER) ?? 'customer-1',
        scopes: ['menu:read', 'order:write'],
      }),
      backups: { catchUpDelayMs: options.catchUpDelayMs ?? 3_600_000 },
      publicUrlCheck: {
        fetch: (input, init) => fetch(String(input).replace(PUBLIC_URL, url), init),
        retryMs: [20],
        recheckMs: 3_600_000,
      },
    },
  );
  url = app.url;
  running.push(app);
  return app;
}

async function stop(app: Counterpi): Promise<void> {
  running.splice(running.indexOf(app), 1);
  await app.stop();
}

/** The tables that hold the orders and the menu. */
const TABLES = [
  'orders',
  'order_events',
  'customers',
  'dayparts',
  'categories',
  'items',
  'modifier_groups',
  'modifier_options',
  'item_modifier_groups',
];

/** Every order and menu row, as the database holds them. */
function snapshot(file = databaseFile(dataDir)): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()]),
    );
  } finally {
    db.close();
  }
}

async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('backup and restore', () => {
  let backup: string;
  let atBackup: ReturnType<typeof snapshot>;

  it('takes the nightly backup while serving and shows it, and the tunnel check, on /ready', async () => {
    let app = await start();
    const { secret } = createTestAcpKey(dataDir);
    const first = await placeOrder(app.url, secret, 'cheeseburger');
    const second = await placeOrder(app.url, secret, 'fries');
    await stop(app);

    // No backup is a day old yet, so the next start catches up right away.
    app = await start({ catchUpDelayMs: 0 });
    await until(() => existsSync(join(backupsDir, 'counterpi-2026-11-24.db')));
    backup = join(backupsDir, 'counterpi-2026-11-24.db');
    atBackup = snapshot();
    expect((atBackup.orders ?? []).map((o) => (o as { id: string }).id).sort()).toEqual(
      [first, second].sort(),
    );
    expect(atBackup.items?.length).toBeGreaterThanOrEqual(25);

    await until(async () => {
      const ready = (await (await fetch(`${app.url}/ready`)).json()) as {
        components: { name: string; ok: boolean; detail: string }[];
      };
      const byName = Object.fromEntries(ready.components.map((c) => [c.name, c]));
      return byName.backups?.ok === true && byName.tunnel?.ok === true;
    });
    const ready = (await (await fetch(`${app.url}/ready`)).json()) as {
      components: { name: string; detail: string }[];
    };
    expect(ready.components.find((c) => c.name === 'backups')?.detail).toContain('(counterpi-2026-11-24.db)');
    expect(ready.components.find((c) => c.name === 'tunnel')?.detail).toBe(
      `${PUBLIC_URL} answers with our issuer`,
    );

    // The shop goes on after the backup: another order, and the owner marks fries sold out.
    await placeOrder(app.url, secret, 'cheeseburger');
    const db = new Database(databaseFile(dataDir));
    expect(db.prepare("UPDATE items SET sold_out = 1 WHERE id = 'fries'").run().changes).toBe(1);
    db.close();
    expect(snapshot().orders).toHaveLength(3);
  });

  it('refuses to restore while counterpi serves, and changes nothing', async () => {
    const before = snapshot();
    const result = await runCli(['restore', backup], { DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('counterpi is running');
    expect(snapshot()).toEqual(before);
    expect(readdirSync(dataDir).filter((name) => name.includes('restor'))).toEqual([]);
    for (const app of [...running]) await stop(app);
  });

  it('refuses a truncated or garbled file, and changes nothing', async () => {
    const before = snapshot();
    const truncated = join(dataDir, 'truncated.db');
    copyFileSync(backup, truncated);
    truncateSync(truncated, Math.floor(readFileSync(backup).length / 2));
    const garbled = join(dataDir, 'garbled.db');
    const bytes = readFileSync(backup);
    bytes.fill(0x5a, 4096 * 2, 4096 * 4);
    writeFileSync(garbled, bytes);
    const notSqlite = join(dataDir, 'not-sqlite.db');
    writeFileSync(notSqlite, Buffer.alloc(8192, 0x41));

    // The command line says so (one run); the other files are checked by the same code, in process.
    const result = await runCli(['restore', garbled], { DATA_DIR: dataDir });
    expect(result.stderr).toMatch(
      /garbled\.db is damaged \(.+\); try an older backup\. Nothing was changed\./,
    );
    expect(result.code).toBe(1);
    const restore = (file: string) =>
      restoreDatabase({ database: databaseFile(dataDir), clock: systemClock }, file);
    expect(restore(truncated)).toMatchObject({ ok: false, reason: 'corrupt' });
    expect(restore(notSqlite)).toMatchObject({ ok: false, reason: 'not_sqlite' });
    expect(snapshot()).toEqual(before);
  });

  it('puts the backup in place: the same orders and menu, the replaced database kept beside it', async () => {
    const replaced = snapshot();
    const result = await runCli(['restore', backup], { DATA_DIR: dataDir });
    expect(result.stderr).toMatch(/^Restored .*: \d+ menu items, 2 orders/m);
    expect(result.code).toBe(0);
    // No log of the old database is left to be read against the new one.
    expect(existsSync(`${databaseFile(dataDir)}-wal`)).toBe(false);

    expect(snapshot()).toEqual(atBackup);
    const kept = readdirSync(dataDir).filter((name) => name.startsWith('counterpi.db.before-restore-'));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/^counterpi\.db\.before-restore-\d{8}T\d{6}Z$/);
    expect(snapshot(join(dataDir, kept[0] ?? ''))).toEqual(replaced);

    // The restored shop serves again, on the clock the restore command wrote its record with (an earlier
    // one would hold orders back: clock_not_set).
    const app = await start({ clock: systemClock });
    const ready = await fetch(`${app.url}/ready`);
    expect(ready.status).toBe(200);
    await stop(app);
  });

  it('lists the nightly backups when no file is named', async () => {
    const result = await runCli(['restore'], { DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: counterpi restore FILE');
    expect(result.stderr).toContain(join(backupsDir, 'counterpi-2026-11-24.db'));
  });
});
