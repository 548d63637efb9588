import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../domain/app-error.js';
import { inspectDatabaseFile } from './database-file.js';
import { runMigrations } from './migrations.js';
import { adoptPageSize } from './page-size.js';
import { isStorageFull, storageFullAtStart, storageFullError } from './storage-full.js';

/** The SQLite file with the durability rules of DESIGN.md built in. */
export interface Store {
  readonly db: Database.Database;
  /** Runs `fn` in one IMMEDIATE transaction committed with synchronous=NORMAL (carts, sessions, audit of reads). */
  transaction<T>(fn: () => T): T;
  /** Runs `fn` in one IMMEDIATE transaction committed with synchronous=FULL: money and paid orders. */
  durableTransaction<T>(fn: () => T): T;
  /**
   * Runs `fn` so that, when it throws, only its own writes are undone: a savepoint inside the current
   * transaction (or a transaction of its own). For a step whose failure is an answer, not an abort.
   */
  savepoint<T>(fn: () => T): T;
  /**
   * Group commit: runs `fn` now, in the write transaction shared by every `group` call of this turn of
   * the event loop, in a savepoint of its own (when `fn` throws, only its writes are undone and the
   * promise rejects at once). The shared transaction commits (synchronous=NORMAL) once the turn's I/O
   * callbacks have run, and the promise resolves after that commit: answer the request only then. One
   * commit for many requests is what lets checkout sessions and carts keep up with a busy agent.
   * Any other transaction, a backup or close first commits the open group.
   */
  group<T>(fn: () => T): Promise<T>;
  /**
   * True while the caller runs inside a transaction (its own, or as a group member): writes now commit
   * or roll back with it. False outside, even while a group waits for its commit.
   */
  inTransaction(): boolean;
  /** Commits the open group now, if there is one: before waiting on another connection's writes. */
  settle(): void;
  /**
   * Writes a consistent, compacted copy of the live database to `file` as one self-contained file
   * (rollback journal, no -wal beside it). The copy is written beside `file`, checked (quick_check,
   * counterpi's tables) and only then takes its place: a failed copy throws and leaves `file` as it was.
   * Safe while serving; it holds the thread for the copy.
   */
  backup(file: string): void;
  close(): void;
}

export interface OpenStoreOptions {
  /** Path of the database file, or ':memory:' for tests that need no file. */
  readonly file: string;
  /** Milliseconds a writer waits for a lock held by another connection (a backup, the CLI). */
  readonly busyTimeoutMs?: number;
  /** Skip `PRAGMA quick_check` (only for read-mostly CLI commands on huge files). */
  readonly skipQuickCheck?: boolean;
  /**
   * Told each time a write found no room on the disk. The write's caller gets the AppError
   * `storage_full` either way: SQLite's and Node's codes never leave the store.
   */
  readonly onFull?: (error: AppError) => void;
  /** The connection's page cache, in KiB: PAGE_CACHE_KIB unless a connection needs less. */
  readonly pageCacheKiB?: number;
}

const SYNC_NORMAL = 1;
const SYNC_FULL = 2;
/**
 * Each connection's page cache: 2 MB, SQLite's own default, where better-sqlite3 builds SQLite with
 * 16 MB. A full 16 MB cache (the audit thread's, after a run of menu searches whose rows it appended)
 * stayed in the process as about 20 MB of malloc'd memory. A bigger cache buys little here: a
 * connection empties its cache whenever another one has committed (the audit thread commits the reads'
 * rows every 10 ms or so under load, the server each change), and the pages it reads again come from
 * the kernel's cache of the file.
 */
export const PAGE_CACHE_KIB = 2000;

/** Opens (creating if needed) the store: WAL, foreign keys, busy timeout, quick_check, migrations. */
export function openStore(options: OpenStoreOptions): Store {
  let db: Database.Database;
  try {
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    db = new Database(options.file);
  } catch (error) {
    throw asFullAtStart(error, options.file) ?? error;
  }
  try {
    adoptPageSize(db);
    db.pragma('journal_mode = WAL');
    // The WAL is cut back to nothing each time it starts over after a checkpoint: it never sits on the
    // card at its largest size, and its size is the work waiting for the next checkpoint (the audit
    // writer thread checkpoints by it, src/services/audit/audit-writer.ts).
    db.pragma('journal_size_limit = 0');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    db.pragma(`synchronous = ${SYNC_NORMAL}`);
    // Negative: a size in KiB, not a count of pages.
    db.pragma(`cache_size = -${options.pageCacheKiB ?? PAGE_CACHE_KIB}`);
    if (options.skipQuickCheck !== true) assertHealthy(db, options.file);
    runMigrations(db);
  } catch (error) {
    db.close();
    throw asCorruption(error, options.file) ?? asFullAtStart(error, options.file) ?? error;
  }
  return createStore(db, options);
}

/** A disk too full to open the database on (SQLite says only "disk I/O error"), said with where and how full. */
function asFullAtStart(error: unknown, file: string): AppError | undefined {
  if (!isStorageFull(error, dirname(file))) return undefined;
  return storageFullAtStart(file, error);
}

const CORRUPTION_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_SEQUENCE',
]);

/** SQLite's own corruption errors, said the way an owner can act on. */
function asCorruption(error: unknown, file: string): AppError | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !CORRUPTION_CODES.has(code)) return undefined;
  return corrupt(file, [(error as Error).message], error);
}

function corrupt(file: string, problems: readonly string[], cause?: unknown): AppError {
  return new AppError(
    'store_corrupt',
    `The database ${file} is damaged (${problems.slice(0, 3).join('; ')}). Stop counterpi and put the latest backup in its place (see docs/owner.md, Backups).`,
    { details: { problems }, cause },
  );
}

function assertHealthy(db: Database.Database, file: string): void {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  const problems = rows.map((row) => row.quick_check).filter((text) => text !== 'ok');
  if (problems.length > 0) throw corrupt(file, problems);
}

function groupInGroup(): AppError {
  return new AppError('internal', 'A group commit cannot start inside another transaction.');
}

function createStore(db: Database.Database, options: OpenStoreOptions): Store {
  const dir = dirname(options.file);
  /** A write that found no room becomes the one `storage_full` error (and is reported once); others pass. */
  function translated(error: unknown): unknown {
    if (error instanceof AppError || !isStorageFull(error, dir)) return error;
    const full = storageFullError(error);
    options.onFull?.(full);
    return full;
  }
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');

  /** Members of the open group transaction, settled when it commits; undefined when none is open. */
  let members: { resolve: () => void; reject: (error: unknown) => void }[] | undefined;
  /** True while a group member's function runs: its nested transactions join the group. */
  let inMember = false;

  /** Commits the open group, if any, and settles its members. */
  function commitGroup(): void {
    const settled = members;
    if (settled === undefined) return;
    members = undefined;
    try {
      commit.run();
    } catch (error) {
      try {
        if (db.inTransaction) rollback.run();
      } catch {
        // The connection is past saving; every member still hears why its commit failed.
      }
      const reason = translated(error);
      for (const member of settled) member.reject(reason);
      return;
    }
    for (const member of settled) member.resolve();
  }

  /** Before a transaction of its own: a pending group commits first, unless this runs inside it. */
  function outsideGroup(): void {
    if (members !== undefined && !inMember) commitGroup();
  }

  function run<T>(fn: () => T): T {
    outsideGroup();
    if (db.inTransaction) return fn();
    begin.run();
    try {
      const result = fn();
      commit.run();
      return result;
    } catch (error) {
      if (db.inTransaction) rollback.run();
      throw translated(error);
    }
  }

  const savepoint = db.prepare('SAVEPOINT step');
  const release = db.prepare('RELEASE step');
  const rollbackTo = db.prepare('ROLLBACK TO step');
  const vacuumInto = db.prepare('VACUUM INTO ?');

  /**
   * Undoes the failed step's writes; false when SQLite already rolled the whole transaction back, as it
   * may on SQLITE_FULL or an I/O error (then there is no savepoint left to return to).
   */
  function undoStep(): boolean {
    if (!db.inTransaction) return false;
    rollbackTo.run();
    release.run();
    return true;
  }

  return {
    db,
    transaction: run,
    savepoint<T>(fn: () => T): T {
      outsideGroup();
      if (!db.inTransaction) return run(fn);
      savepoint.run();
      try {
        const result = fn();
        release.run();
        return result;
      } catch (error) {
        undoStep();
        throw translated(error);
      }
    },
    inTransaction: () => db.inTransaction && (members === undefined || inMember),
    settle: outsideGroup,
    group<T>(fn: () => T): Promise<T> {
      if (inMember) return Promise.reject(groupInGroup());
      if (members === undefined) {
        if (db.inTransaction) return Promise.reject(groupInGroup());
        begin.run();
        members = [];
        setImmediate(commitGroup);
      }
      const group = members;
      savepoint.run();
      inMember = true;
      let result: T;
      try {
        result = fn();
        release.run();
      } catch (error) {
        const reason = translated(error);
        if (undoStep()) return Promise.reject(reason);
        // The whole group went with it: every member waiting for its commit hears why.
        members = undefined;
        for (const member of group) member.reject(reason);
        return Promise.reject(reason);
      } finally {
        inMember = false;
      }
      return new Promise<T>((resolve, reject) => {
        group.push({ resolve: () => resolve(result), reject });
      });
    },
    durableTransaction<T>(fn: () => T): T {
      outsideGroup();
      if (db.inTransaction) {
        throw new AppError('internal', 'A durable transaction cannot run inside another transaction.');
      }
      // FULL makes this COMMIT fsync the WAL, which also makes every earlier NORMAL commit durable.
      db.pragma(`synchronous = ${SYNC_FULL}`);
      try {
        return run(fn);
      } finally {
        db.pragma(`synchronous = ${SYNC_NORMAL}`);
      }
    },
    backup(file: string): void {
      outsideGroup();
      mkdirSync(dirname(file), { recursive: true });
      const partial = `${file}.partial`;
      // VACUUM INTO writes only to a new or empty file: a copy a crash left half written goes first.
      rmSync(partial, { force: true });
      try {
        // One statement: no write can come between its steps, and none is lost or half copied. SQLite's
        // online backup API, stepped between turns of the event loop, reported an empty copy as done
        // whenever its first step met a group commit still open (busy hours). The copy is compacted too;
        // it holds the thread as long as that API's one big step did (about a second per 100 MB on a PC).
        vacuumInto.run(partial);
        const report = inspectDatabaseFile(partial);
        if (!report.ok)
          throw new Error(`the copy failed its check: ${report.problems.slice(0, 3).join('; ')}`);
        renameSync(partial, file);
      } finally {
        rmSync(partial, { force: true });
      }
    },
    close(): void {
      if (db.open) commitGroup();
      if (db.open) db.close();
    },
  };
}
