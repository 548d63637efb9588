import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dirs.js';
import { openStore } from './database.js';
import { PAGE_SIZE } from './page-size.js';

const tempDir = tempDirs();

function tempFile(): string {
  return join(tempDir('counterpi-pages-'), 'counterpi.db');
}

/** A database as an older build left it: its pages (4096 bytes by default), WAL, some rows. */
function olderDatabase(file: string, pageSize = 4096): void {
  const raw = new Database(file);
  raw.pragma(`page_size = ${pageSize}`);
  raw.pragma('journal_mode = WAL');
  raw.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = raw.prepare('INSERT INTO notes (body) VALUES (?)');
  for (let n = 0; n < 500; n += 1) insert.run(`note ${n} ${'x'.repeat(n % 300)}`);
  raw.close();
}

describe('page size', () => {
  it('gives a new database small pages, so each touched page costs the card less', () => {
    const store = openStore({ file: tempFile() });
    expect(store.db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    store.close();
  });

  it.each([4096, 1024])(
    'rebuilds an older database of %i-byte pages once with its rows intact, back in WAL mode',
    (older) => {
      const file = tempFile();
      olderDatabase(file, older);
      const store = openStore({ file });
      expect(store.db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(500);
      expect(store.db.prepare('SELECT body FROM notes WHERE id = 300').pluck().get()).toBe(
        `note 299 ${'x'.repeat(299)}`,
      );
      store.close();
    },
  );

  it('leaves the pages as they are while another connection has the file open, and serves anyway', () => {
    const file = tempFile();
    olderDatabase(file);
    const other = new Database(file);
    other.prepare('SELECT count(*) FROM notes').get();
    const store = openStore({ file });
    expect(store.db.pragma('page_size', { simple: true })).toBe(4096);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    other.close();
    store.close();
    const again = openStore({ file });
    expect(again.db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    again.close();
  });
});
