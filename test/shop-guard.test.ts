import type { ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../src/main.js';
import { SHOP_MARKER_FILE } from '../src/services/operations/shop-guard.js';
import { createTestAcpKey, placePickupOrder } from './helpers/acp-client.js';
import { type AppProcess, startAppProcess } from './helpers/app-process.js';
import { runCli } from './helpers/run-cli.js';
import { PUBLIC_URL } from './helpers/start-app.js';

const children = new Set<ChildProcess>();
const dataDir = mkdtempSync(join(tmpdir(), 'counterpi-lost-db-'));
const database = databaseFile(dataDir);
const marker = join(dataDir, SHOP_MARKER_FILE);
const backups = join(dataDir, 'backups');
const older = join(backups, 'counterpi-2026-11-24.db');
const newest = join(backups, 'counterpi-2026-11-25.db');
const env = { DATA_DIR: dataDir, PUBLIC_URL };

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function stop(app: AppProcess): Promise<void> {
  const exited = new Promise((resolve) => app.child.once('exit', resolve));
  app.child.kill('SIGTERM');
  await exited;
}

function orderCount(): number {
  const db = new Database(database, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** What the real `counterpi start` process printed when it refused to serve; it fails the test if it served instead. */
async function refusedStartProcess(): Promise<string> {
  const error = await startAppProcess(env, children).then(
    async (app) => {
      await stop(app);
      throw new Error(`counterpi served a new shop: ${app.output()}`);
    },
    (refusal: unknown) => refusal as Error,
  );
  // 78 (EX_CONFIG): the unit's RestartPreventExitStatus, so systemd stops restarting it.
  expect(error.message).toMatch(/^counterpi exited with 78:/);
  expect(error.message).not.toContain('seeded the demo burger bar');
  return error.message;
}

/** The same refusal from `counterpi start` run in this process: its exit status and words. */
async function refusedStart(): Promise<string> {
  // At info level, so the first-start line would show if it seeded a new shop.
  const result = await runCli(['start'], { ...env, LOG_LEVEL: 'info' });
  const text = `${result.stdout}${result.stderr}`;
  expect(result.code, text).toBe(78);
  expect(text).not.toContain('seeded the demo burger bar');
  return text;
}

/** The refusal names the backups, newest first, and the exact command that restores the newest. */
function expectRestoreAdvice(text: string, problem: string): void {
  expect(text).toContain(`the database ${database} ${problem}`);
  expect(text).toContain(`counterpi restore ${newest}\n`);
  const listed = text.slice(text.indexOf('Backups, newest first:'));
  expect(listed.indexOf(newest)).toBeGreaterThan(0);
  expect(listed.indexOf(older)).toBeGreaterThan(listed.indexOf(newest));
}

describe('a lost database is never a new shop', () => {
  it('seeds the demo shop at a first start in an empty data directory, and marks it', async () => {
    const app = await startAppProcess(env, children);
    expect(app.output()).toContain('first start: seeded the demo burger bar');
    expect(JSON.parse(readFileSync(marker, 'utf8'))).toMatchObject({
      first_start: true,
      database: 'counterpi.db',
    });
    const { secret } = createTestAcpKey(dataDir);
    await placePickupOrder(app.url, secret, 'cheeseburger');
    await placePickupOrder(app.url, secret, 'fries');
    expect((await runCli(['backup', older], env)).code).toBe(0);
    await placePickupOrder(app.url, secret, 'cheeseburger');
    expect((await runCli(['backup', newest], env)).code).toBe(0);
    await stop(app);
    expect(orderCount()).toBe(3);
  }, 60_000);

  it('refuses an empty (0-byte) database beside the keys, names the backups, and creates nothing', async () => {
    for (const side of ['-wal', '-shm']) rmSync(`${database}${side}`, { force: true });
    truncateSync(database, 0);
    const text = await refusedStartProcess();
    expectRestoreAdvice(text, 'is empty (0 bytes)');
    // A command refuses it the same way instead of making a fresh database there.
    const command = await runCli(['token', 'list'], env);
    expect(command.code).toBe(78);
    expectRestoreAdvice(command.stderr, 'is empty (0 bytes)');
    expect(statSync(database).size).toBe(0);
    expect(existsSync(`${database}-wal`)).toBe(false);
  }, 60_000);

  it('refuses a file that is not a SQLite database in its place, which the named restore replaces', async () => {
    writeFileSync(database, 'not a database\n');
    expectRestoreAdvice(await refusedStart(), 'is not a SQLite database');
    expect(readFileSync(database, 'utf8')).toBe('not a database\n');
    // The restore the message names works on it, and keeps the file it replaces.
    const restored = await runCli(['restore', newest], env);
    expect(restored.code).toBe(0);
    const kept = readdirSync(dataDir).filter((name) => name.startsWith('counterpi.db.before-restore-'));
    expect(kept.map((name) => readFileSync(join(dataDir, name), 'utf8'))).toEqual(['not a database\n']);
    expect(orderCount()).toBe(3);
  }, 60_000);

  it('refuses a missing database when only the keys are left (a shop from before the marker)', async () => {
    rmSync(database);
    rmSync(marker);
    const text = await refusedStart();
    expectRestoreAdvice(text, 'is missing');
    expect(text).toContain('keys (oauth-signing-keys.json');
    expect(existsSync(database)).toBe(false);
  }, 60_000);

  it('serves the shop with its orders again after restoring the newest backup, and marks it', async () => {
    const restored = await runCli(['restore', newest], env);
    expect(restored.stderr).toContain('3 orders');
    expect(restored.code).toBe(0);
    const app = await startAppProcess(env, children);
    expect(app.output()).not.toContain('seeded the demo burger bar');
    expect((await fetch(`${app.url}/ready`)).status).toBe(200);
    await stop(app);
    expect(orderCount()).toBe(3);
    // The shop had no marker (removed above, as before this version): its next start wrote one.
    expect(JSON.parse(readFileSync(marker, 'utf8'))).toMatchObject({ first_start: false });
  }, 60_000);
});
