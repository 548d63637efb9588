import Database from 'better-sqlite3';
import { runMigrations } from '../../src/store/migrations.js';

/** Writes `file` as an older build left it: pages of `pageSize` bytes, WAL, schema `version`; closed. */
export function writeOlderDatabase(file: string, pageSize: number, version: number): void {
  const raw = new Database(file);
  raw.pragma(`page_size = ${pageSize}`);
  raw.pragma('journal_mode = WAL');
  runMigrations(raw, version);
  raw.close();
}
