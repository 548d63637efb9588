import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from './migrations.js';
import { PAGE_SIZE } from './page-size.js';

/** What a database file holds, or why it is not one counterpi can use. */
export type DatabaseFileReport =
  | { readonly ok: true; readonly schemaVersion: number; readonly orders: number; readonly items: number }
  | {
      readonly ok: false;
      readonly reason: 'not_sqlite' | 'corrupt' | 'too_new' | 'not_counterpi';
      readonly problems: readonly string[];
    };

/** A database held so that no other connection can use it, until `release`. */
export interface DatabaseLock {
  release(): void;
}

const NOT_SQLITE = new Set(['SQLITE_NOTADB']);
const CORRUPT = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_SEQUENCE',
  'SQLITE_IOERR_SHORT_READ',
]);
/** Tables every counterpi schema has had since its first migration. */
const REQUIRED_TABLES = ['orders', 'items', 'settings'];

function failureOf(error: unknown): DatabaseFileReport | undefined {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code !== 'string') return undefined;
  if (NOT_SQLITE.has(code)) return { ok: false, reason: 'not_sqlite', problems: [message] };
  if (CORRUPT.has(code)) return { ok: false, reason: 'corrupt', problems: [message] };
  return undefined;
}

/**
 * Checks a database file in place: `quick_check` (or the slower `integrity_check` with `full`), a schema
 * no newer than this build, and counterpi's tables. Opening it may add and remove `-wal`/`-shm` beside it,
 * unless it is `readonly` (a copy on a stick or fetched back from a remote, in rollback-journal mode).
 */
export function inspectDatabaseFile(
  file: string,
  options: { full?: boolean; readonly?: boolean } = {},
): DatabaseFileReport {
  let opened: Database.Database | undefined;
  try {
    opened = new Database(file, { fileMustExist: true, readonly: options.readonly === true });
    const db = opened;
    const check = options.full === true ? 'integrity_check' : 'quick_check';
    const problems = (db.pragma(check) as Record<string, string>[])
      .map((row) => Object.values(row)[0] ?? '')
      .filter((text) => text !== 'ok');
    if (problems.length > 0) return { ok: false, reason: 'corrupt', problems };
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    if (schemaVersion > SCHEMA_VERSION) {
      return {
        ok: false,
        reason: 'too_new',
        problems: [`schema ${schemaVersion}, this counterpi knows ${SCHEMA_VERSION}`],
      };
    }
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (row) => row.name,
      ),
    );
    const missing = REQUIRED_TABLES.filter((table) => !tables.has(table));
    if (schemaVersion === 0 || missing.length > 0) {
      return {
        ok: false,
        reason: 'not_counterpi',
        problems: [`missing tables: ${missing.join(', ') || 'all'}`],
      };
    }
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { ok: true, schemaVersion, orders: count('orders'), items: count('items') };
  } catch (error) {
    const failure = failureOf(error);
    if (failure !== undefined) return failure;
    throw error;
  } finally {
    opened?.close();
  }
}

/**
 * Turns a database file into one self-contained file: its WAL checkpointed and removed (journal mode
 * DELETE). Run only on a file nothing else has open, such as a fresh copy.
 */
export function makeSelfContained(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

/**
 * Takes the live database for the caller alone, or answers 'in_use' while any other connection has it
 * open (a running server, another command). WAL connections keep a shared lock on the file for as long as
 * they are open, so leaving WAL mode fails with SQLITE_BUSY while one exists; after that an exclusive
 * lock held in EXCLUSIVE locking mode keeps new connections out. The file is left self-contained: its
 * WAL checkpointed into it and removed.
 */
export function lockDatabaseFile(file: string): DatabaseLock | 'in_use' | 'damaged' {
  // Opening a file that is no database at all may delete the -wal beside it: leave such a file alone.
  if (!hasSqliteHeader(file)) return 'damaged';
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
  } catch (error) {
    if (failureOf(error) !== undefined) return 'damaged';
    throw error;
  }
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT;');
    return { release: () => db.close() };
  } catch (error) {
    db.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return 'in_use';
    if (failureOf(error) !== undefined) return 'damaged';
    throw error;
  }
}

/** "SQLite format 3\0", the first 16 bytes of every database file (SQLite file format, "The Database Header"). */
const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** The first `length` bytes of the (existing) `file`, fewer when it is shorter. */
function headOf(file: string, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(length);
    return head.subarray(0, readSync(fd, head, 0, length, 0));
  } finally {
    closeSync(fd);
  }
}

/** True when the (existing) `file` starts with SQLite's header. */
export function hasSqliteHeader(file: string): boolean {
  return headOf(file, MAGIC.length).equals(MAGIC);
}

/**
 * The size of `file` in bytes when opening it will first rebuild or migrate it (pages of another size
 * than PAGE_SIZE, an older schema), else undefined: `start` asks systemd for the time that takes. Read
 * from the header (page size at byte 16, user_version at 60) without opening the database; after a
 * crash the header may be older than the WAL, and the answer then errs towards waiting.
 */
export function pendingUpgradeBytes(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const head = headOf(file, 64);
  if (head.length < 64 || !head.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const stored = head.readUInt16BE(16);
  const pageSize = stored === 1 ? 65_536 : stored;
  if (pageSize === PAGE_SIZE && head.readUInt32BE(60) >= SCHEMA_VERSION) return undefined;
  return statSync(file).size;
}
