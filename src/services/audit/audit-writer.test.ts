import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../platform/clock.js';
import { createLogger } from '../../platform/logger.js';
import { createAuditRepo } from '../../store/audit-repo.js';
import { openStore, type Store } from '../../store/database.js';
import type { AuditEntry } from './audit-append.js';
import { createAuditLog } from './audit-log.js';
import { type AuditWriter, startAuditWriter } from './audit-writer.js';

const clock = createManualClock('2026-11-24T17:00:00Z');
const read = (actor: string): AuditEntry => ({
  actorKind: 'customer',
  actor,
  action: 'mcp.tools/call search_menu',
  outcome: 'ok',
  input: { query: 'burger' },
});
let dir: string;
let store: Store;
let writer: AuditWriter;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'counterpi-audit-writer-'));
  store = openStore({ file: join(dir, 'counterpi.db') });
  writer = startAuditWriter({ store, checkpointBytes: 200_000, checkEveryMs: 50 });
});
afterEach(async () => {
  await writer.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const actors = () =>
  (store.db.prepare('SELECT actor FROM audit_log ORDER BY seq').all() as { actor: string }[]).map(
    (r) => r.actor,
  );

describe('the audit writer thread', () => {
  it('writes the rows of reads on its own connection, in order with the rows written here', async () => {
    expect(writer.post([])).toBe(true); // the thread is up
    const audit = createAuditLog({ store, repo: createAuditRepo({ store }), clock, writer, batchMs: 5 });
    audit.recordSoon(read('r1'));
    audit.recordSoon(read('r2'));
    await new Promise((resolve) => setTimeout(resolve, 20)); // handed to the thread
    audit.recordSoon(read('r3')); // still queued here
    audit.record({ actorKind: 'customer', actor: 'w1', action: 'mcp.tools/call place_order', outcome: 'ok' });
    for (let n = 4; n < 300; n += 1) audit.recordSoon(read(`r${n}`));
    audit.flush();
    expect(writer.behind()).toBe(false);
    const all = actors();
    expect(all.slice(0, 4)).toEqual(['r1', 'r2', 'r3', 'w1']);
    expect(all).toHaveLength(300);
    expect(audit.verify()).toMatchObject({ ok: true, rows: 300 });
  });

  it('never forks the chain while the server writes rows of its own at the same time', async () => {
    const audit = createAuditLog({ store, repo: createAuditRepo({ store }), clock, writer, batchMs: 1 });
    for (let round = 0; round < 20; round += 1) {
      for (let n = 0; n < 20; n += 1) audit.recordSoon(read(`r${round}.${n}`));
      await new Promise((resolve) => setTimeout(resolve, 2));
      store.transaction(() =>
        audit.record({ actorKind: 'owner', actor: `w${round}`, action: 'owner.menu', outcome: 'ok' }),
      );
    }
    audit.flush();
    expect(audit.verify()).toMatchObject({ ok: true, rows: 420 });
  });

  it('writes in place when the thread cannot open the database', async () => {
    await writer.close();
    const notADatabase = join(dir, 'a-directory');
    mkdirSync(notADatabase);
    const lines: string[] = [];
    const log = createLogger({ level: 'error', destination: { write: (line: string) => lines.push(line) } });
    writer = startAuditWriter({ store, file: notADatabase, log });
    // The thread loads its modules first (through tsx from sources): seconds on a busy 2-core machine.
    await expect.poll(() => lines.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(lines.join('')).toContain('the audit writer stopped');
    // The server's connection checkpoints again itself.
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    const audit = createAuditLog({ store, repo: createAuditRepo({ store }), clock, writer });
    audit.recordSoon(read('in place'));
    audit.flush();
    expect(actors()).toEqual(['in place']);
  });

  it('checkpoints the WAL once it is big enough, never on a timer alone, and gives that back when it stops', async () => {
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const file = join(dir, 'counterpi.db');
    store.db.exec('CREATE TABLE filler (v TEXT)');
    const insert = store.db.prepare('INSERT INTO filler VALUES (?)');
    const fill = (rows: number) =>
      store.transaction(() => {
        for (let n = 0; n < rows; n += 1) insert.run(`row ${n} ${'x'.repeat(200)}`);
      });
    // The schema's own WAL is checkpointed first; a write after that starts the WAL over, small.
    const walAfterOneRow = () => {
      fill(1);
      return statSync(`${file}-wal`).size;
    };
    await expect.poll(walAfterOneRow, { timeout: 3000 }).toBeLessThan(20_000);
    // A write here may start the WAL over between the thread's copy and its closing TRUNCATE, which
    // then copies that write too: under a loaded machine the two steps lie far apart. Let it finish.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = statSync(file).size;
    // A small WAL stays a WAL, however many times the thread looks at it.
    fill(100);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(statSync(file).size).toBe(before);
    // Past 200 kB the thread copies it into the file; the next write starts the WAL over, cut back.
    fill(3000);
    await expect.poll(() => statSync(file).size, { timeout: 3000 }).toBeGreaterThan(before + 500_000);
    await expect.poll(walAfterOneRow, { timeout: 3000 }).toBeLessThan(20_000);
    await writer.close();
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('starts the WAL over even while the server never stops writing', async () => {
    const file = join(dir, 'counterpi.db');
    store.db.exec('CREATE TABLE filler (v TEXT)');
    const insert = store.db.prepare('INSERT INTO filler VALUES (?)');
    // A commit every millisecond or so, as under a steady stream of orders and reads: the frames
    // committed while the thread copies keep a copy that never waits from reaching the WAL's end.
    const sizes: number[] = [];
    const until = performance.now() + 2500;
    for (let n = 0; performance.now() < until; n += 1) {
      store.transaction(() => {
        for (let row = 0; row < 10; row += 1) insert.run(`row ${n}.${row} ${'x'.repeat(200)}`);
      });
      sizes.push(statSync(`${file}-wal`).size);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    // 200 kB is where the thread checkpoints: the WAL started over, and the last one never grew far past it.
    const startedOver = sizes.some((size, at) => at > 0 && size < (sizes[at - 1] ?? 0));
    expect(startedOver).toBe(true);
    expect(Math.max(...sizes.slice(-Math.floor(sizes.length / 2)))).toBeLessThan(2_000_000);
  });
});
