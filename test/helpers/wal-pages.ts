import { readFileSync } from 'node:fs';
import type { Store } from '../../src/store/database.js';

/**
 * The page numbers the commits of `write` put in the WAL, a frame each, read from the WAL file itself
 * after starting it over. What a change costs the SD card, page by page.
 */
export function walPages(store: Store, write: () => void): number[] {
  const { db } = store;
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('wal_checkpoint(TRUNCATE)');
  write();
  // A WAL file is a 32-byte header, then frames: a 24-byte header opening with the page number, the page.
  const wal = readFileSync(`${db.name}-wal`);
  const frame = 24 + (db.pragma('page_size', { simple: true }) as number);
  const pages: number[] = [];
  for (let at = 32; at + frame <= wal.length; at += frame) pages.push(wal.readUInt32BE(at));
  return pages;
}

/** The pages of one table or index (SQLite's dbstat). */
export function pagesOf(store: Store, name: string): Set<number> {
  const rows = store.db.prepare('SELECT pageno FROM dbstat WHERE name = ?').pluck().all(name);
  return new Set(rows as number[]);
}
