import { closeSync, mkdtempSync, openSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../domain/app-error.js';
import { openStore } from './database.js';
import { SCHEMA_VERSION } from './migrations.js';

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'counterpi-store-')), 'counterpi.db');
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return isAppError(error) ? error.code : `not an AppError: ${String(error)}`;
  }
  return 'no error';
}

describe('store', () => {
  it('opens a file in WAL mode with foreign keys, a busy timeout and the latest schema', () => {
    const store = openStore({ file: tempFile(), busyTimeoutMs: 1234 });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    store.close();
  });

  it('commits money with synchronous=FULL and everything else with NORMAL, rolling back on error', () => {
    const store = openStore({ file: tempFile() });
    store.db.exec('CREATE TABLE t (v INTEGER)');
    const seen: number[] = [];
    const sync = () => seen.push(store.db.pragma('synchronous', { simple: true }) as number);
    store.transaction(sync);
    store.durableTransaction(sync);
    expect(seen).toEqual([1, 2]);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(() =>
      store.durableTransaction(() => {
        store.db.prepare('INSERT INTO t VALUES (1)').run();
        throw new Error('payment provider said no');
      }),
    ).toThrow('payment provider said no');
    expect(store.db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(codeOf(() => store.transaction(() => store.durableTransaction(() => 1)))).toBe('internal');
    store.close();
  });

  it('undoes only a failed step of a transaction (savepoint), and commits the rest', () => {
    const store = openStore({ file: tempFile() });
    store.db.exec('CREATE TABLE t (v INTEGER)');
    const insert = store.db.prepare('INSERT INTO t VALUES (?)');
    store.transaction(() => {
      insert.run(1);
      expect(() =>
        store.savepoint(() => {
          insert.run(2);
          throw new Error('sold out');
        }),
      ).toThrow('sold out');
      store.savepoint(() => insert.run(3));
    });
    expect(store.db.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual([1, 3]);
    store.savepoint(() => insert.run(4));
    expect(store.db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(3);
    expect(store.db.inTransaction).toBe(false);
    store.close();
  });

  it('refuses a database written by a newer counterpi', () => {
    const file = tempFile();
    openStore({ file }).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(codeOf(() => openStore({ file }))).toBe('store_too_new');
  });

  it('refuses to serve a damaged database at boot (quick_check)', () => {
    const file = tempFile();
    const store = openStore({ file });
    store.db.exec('CREATE TABLE filler (v TEXT); CREATE INDEX filler_v ON filler(v);');
    const insert = store.db.prepare('INSERT INTO filler VALUES (?)');
    store.transaction(() => {
      for (let i = 0; i < 2000; i += 1) insert.run(`row ${i} ${'x'.repeat(100)}`);
    });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    // Scribble over the middle of the file, as a failing SD card would.
    const size = readFileSync(file).length;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 3, 0xa5), 0, 4096 * 3, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    expect(codeOf(() => openStore({ file }))).toBe('store_corrupt');
  });

  it('backs up online to a file that opens on its own', async () => {
    const store = openStore({ file: tempFile() });
    store.db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('kept')");
    const copy = join(mkdtempSync(join(tmpdir(), 'counterpi-backup-')), 'nested', 'copy.db');
    await store.backup(copy);
    store.close();
    const restored = openStore({ file: copy });
    expect(restored.db.prepare('SELECT v FROM t').get()).toEqual({ v: 'kept' });
    restored.close();
  });
});
