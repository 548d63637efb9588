import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dirs.js';
import { pagesOf, walPages } from '../../test/helpers/wal-pages.js';
import { openStore } from '../store/database.js';
import { createTimeOrderedIds, READABLE_ALPHABET, unusedReadableCode } from './ids.js';

const tempDir = tempDirs();

describe('time-ordered ids', () => {
  it('sort by the second they were made in, 16 random characters after the time', () => {
    let now = Date.parse('2026-12-07T10:00:00Z');
    const ids = createTimeOrderedIds(() => now);
    const made: string[] = [];
    for (let i = 0; i < 200; i += 1) {
      made.push(ids.next('ord'));
      now += 1000;
    }
    expect([...made].sort()).toEqual(made);
    for (const id of made) expect(id).toMatch(/^ord_[0-9a-hjkmnp-tv-z]{23}$/);

    const [first, second] = [ids.next('ord'), ids.next('ord')];
    expect(first.slice(0, 11)).toBe(second.slice(0, 11));
    expect(first).not.toBe(second);
    expect(new Set(made.map((id) => id.slice(11))).size).toBe(made.length);
  });

  it('keep years apart in order, past the 32-bit seconds of 2038', () => {
    const at = (iso: string) => createTimeOrderedIds(() => Date.parse(iso)).next('cs');
    const years = ['2026-12-07T10:00:00Z', '2038-01-19T03:14:08Z', '2100-01-01T00:00:00Z'].map(at);
    expect([...years].sort()).toEqual(years);
  });

  it('put an index’s new entries beside its last ones: forty commits rewrite a few pages, not forty', () => {
    const store = openStore({ file: join(tempDir('counterpi-ids-'), 'counterpi.db') });
    store.db.exec('CREATE TABLE things (id TEXT PRIMARY KEY, at INTEGER NOT NULL) STRICT');
    let now = Date.parse('2026-12-07T10:00:00Z');
    const ids = createTimeOrderedIds(() => now);
    const insert = store.db.prepare('INSERT INTO things (id, at) VALUES (?, ?)');
    store.db.transaction(() => {
      for (let i = 0; i < 3000; i += 1, now += 1000) insert.run(ids.next('ord'), now);
    })();
    const index = pagesOf(store, 'sqlite_autoindex_things_1');
    // Forty orders over the next hours, a commit each. Random ids of 16 characters wrote 67 of the
    // index's pages here, a leaf for nearly every order and the interior pages above them.
    const written = walPages(store, () => {
      for (let i = 0; i < 40; i += 1, now += 300_000) insert.run(ids.next('ord'), now);
    });
    expect(index.size).toBeGreaterThan(100);
    expect(new Set(written.filter((page) => index.has(page))).size).toBeLessThanOrEqual(10);
    store.close();
  });
});

describe('unused readable codes', () => {
  const readable = (length: number) => new RegExp(`^[${READABLE_ALPHABET}]{${length}}$`);

  it('keep the length asked for while free codes are easy to find', () => {
    const taken = new Set<string>();
    for (let i = 0; i < 500; i += 1) {
      const code = unusedReadableCode(4, (c) => taken.has(c));
      expect(code).toMatch(readable(4));
      expect(taken.has(code)).toBe(false);
      taken.add(code);
    }
  });

  it('grow by a character once that length is used up, instead of searching for ever', () => {
    expect(unusedReadableCode(4, (c) => c.length === 4)).toMatch(readable(5));
    expect(unusedReadableCode(4, (c) => c.length < 6)).toMatch(readable(6));
  });
});
