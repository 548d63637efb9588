import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, isAppError } from '../domain/app-error.js';
import { openStore, type Store } from './database.js';
import { formatBytes, isStorageFull, STORAGE_FULL_MESSAGE } from './storage-full.js';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A store whose database may not grow (SQLite's max_page_count): every write needing a new page gets
 * SQLITE_FULL from SQLite itself, as on a full disk.
 */
function fullStore() {
  const dir = mkdtempSync(join(tmpdir(), 'counterpi-storage-full-'));
  dirs.push(dir);
  const reports: AppError[] = [];
  const store = openStore({ file: join(dir, 'counterpi.db'), onFull: (error) => reports.push(error) });
  stores.push(store);
  store.db.exec('CREATE TABLE filler (blob BLOB); CREATE TABLE marks (n INTEGER)');
  const pages = store.db.pragma('page_count', { simple: true }) as number;
  store.db.pragma(`max_page_count = ${pages}`);
  const insert = store.db.prepare('INSERT INTO filler VALUES (zeroblob(100000))');
  return { store, reports, write: () => insert.run() };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('a write that finds no room', () => {
  it('leaves a transaction, a durable one and a savepoint as storage_full, reported once each', () => {
    const { store, reports, write } = fullStore();
    for (const run of [store.transaction, store.durableTransaction, store.savepoint]) {
      const error = thrown(() => run(write));
      expect(isAppError(error, 'storage_full')).toBe(true);
      expect((error as AppError).message).toBe(STORAGE_FULL_MESSAGE);
      expect((error as AppError).retryAfter).toBe(60);
      expect(((error as AppError).cause as { code?: string }).code).toBe('SQLITE_FULL');
    }
    expect(reports).toHaveLength(3);
    // Nested: translated where it happens, passed through by the outer transaction, reported once.
    const nested = thrown(() => store.transaction(() => store.savepoint(write)));
    expect(isAppError(nested, 'storage_full')).toBe(true);
    expect(reports).toHaveLength(4);
    expect(store.db.inTransaction).toBe(false);
  });

  it('rejects a group commit member with storage_full, and never tells another it committed when it did not', async () => {
    const { store, reports, write } = fullStore();
    await expect(store.group(write)).rejects.toSatisfy((error) => isAppError(error, 'storage_full'));
    expect(reports).toHaveLength(1);
    const first = store.group(() => store.db.prepare('INSERT INTO marks VALUES (1)').run());
    const second = store.group(write);
    const [one, two] = await Promise.allSettled([first, second]);
    expect(two.status === 'rejected' && isAppError(two.reason, 'storage_full')).toBe(true);
    const marks = store.db.prepare('SELECT count(*) FROM marks').pluck().get();
    if (one.status === 'fulfilled') expect(marks).toBe(1);
    else {
      expect(isAppError(one.reason, 'storage_full')).toBe(true);
      expect(marks).toBe(0);
    }
    expect(store.db.inTransaction).toBe(false);
  });

  it('leaves every other error as it is', () => {
    const { store, reports } = fullStore();
    const error = thrown(() => store.transaction(() => store.db.exec('INSERT INTO missing VALUES (1)')));
    expect(isAppError(error)).toBe(false);
    expect((error as { code?: string }).code).toBe('SQLITE_ERROR');
    expect(reports).toEqual([]);
  });
});

describe('isStorageFull', () => {
  it('knows SQLite’s and Node’s words for a full disk, and an I/O error only on a disk nearly full', () => {
    const dir = tmpdir();
    expect(
      isStorageFull(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), dir),
    ).toBe(true);
    expect(isStorageFull(Object.assign(new Error('no space left'), { code: 'ENOSPC' }), dir)).toBe(true);
    expect(isStorageFull(new AppError('storage_full', 'full'), dir)).toBe(true);
    // This machine's temp dir has room: a disk I/O error there is a failing disk, not a full one.
    expect(
      isStorageFull(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_SHMSIZE' }), dir),
    ).toBe(false);
    expect(isStorageFull(new AppError('internal', 'bug'), dir)).toBe(false);
    expect(isStorageFull(null, dir)).toBe(false);
  });

  it('says sizes as an owner reads them', () => {
    expect([0, 812, 40 * 1024 * 1024, 8765440, 64 * 1024 * 1024, 1.25 * 1024 ** 3].map(formatBytes)).toEqual([
      '0 B',
      '812 B',
      '40 MB',
      '8.4 MB',
      '64 MB',
      '1.3 GB',
    ]);
  });
});
