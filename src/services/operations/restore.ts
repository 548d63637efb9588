import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../../platform/clock.js';
import { syncPath } from '../../platform/sync-path.js';
import { inspectDatabaseFile, lockDatabaseFile, makeSelfContained } from '../../store/database-file.js';
import type { DecryptRefusal } from './backup-encryption.js';

/** What `counterpi restore` did, or why it changed nothing. */
export type RestoreResult =
  | {
      readonly ok: true;
      readonly schemaVersion: number;
      readonly orders: number;
      readonly items: number;
      /** Where the database that was replaced is kept; undefined when there was none. */
      readonly previous: string | undefined;
    }
  | {
      readonly ok: false;
      readonly reason:
        | 'not_found'
        | 'live_file'
        | 'in_use'
        | 'not_sqlite'
        | 'corrupt'
        | 'too_new'
        | 'not_counterpi'
        | DecryptRefusal;
      readonly message: string;
    };

export interface RestoreDeps {
  /** The live database file, `DATA_DIR/counterpi.db`. */
  readonly database: string;
  readonly clock: Clock;
}

const SIDE_FILES = ['-wal', '-shm', '-journal'];

/**
 * Puts a backup in place of the live database, all or nothing: the file is copied beside the database and
 * checked there (integrity_check, schema no newer than this build, counterpi's tables); the live database
 * is taken exclusively, which fails while the server or another command has it open; it is kept as
 * `counterpi.db.before-restore-<time>`, and the checked copy is renamed over it.
 */
export function restoreDatabase(deps: RestoreDeps, source: string, shownAs = source): RestoreResult {
  if (!existsSync(source) || !statSync(source).isFile()) {
    return { ok: false, reason: 'not_found', message: `${source} does not exist or is not a file.` };
  }
  if (existsSync(`${source}-wal`) && statSync(`${source}-wal`).size > 0) {
    return {
      ok: false,
      reason: 'live_file',
      message: `${source} has a write-ahead log beside it (${source}-wal): it is a database in use, not a backup. Make a backup of it with "counterpi backup" and restore that.`,
    };
  }
  const { database } = deps;
  mkdirSync(dirname(database), { recursive: true });
  const prepared = `${database}.restoring`;
  removeWithSideFiles(prepared);
  try {
    copyFileSync(source, prepared);
    const report = inspectDatabaseFile(prepared, { full: true });
    if (!report.ok) return refusal(shownAs, report.reason, report.problems);
    makeSelfContained(prepared);
    syncPath(prepared);
    const previous = replaceLive(database, prepared, stamp(deps.clock.now()));
    if (previous === 'in_use') {
      return {
        ok: false,
        reason: 'in_use',
        message:
          'counterpi is running (or another counterpi command has the database open), so nothing was restored. ' +
          'Stop it first (sudo systemctl stop counterpi), run the restore again, then start it (sudo systemctl start counterpi).',
      };
    }
    return {
      ok: true,
      schemaVersion: report.schemaVersion,
      orders: report.orders,
      items: report.items,
      previous,
    };
  } finally {
    removeWithSideFiles(prepared);
  }
}

/** Swaps `prepared` in; returns where the old database now is, or 'in_use'. */
function replaceLive(database: string, prepared: string, time: string): string | undefined | 'in_use' {
  const previous = `${database}.before-restore-${time}`;
  if (!existsSync(database)) {
    adoptOwner(prepared, statSync(dirname(database)), 0o600);
    renameSync(prepared, database);
    syncPath(dirname(database));
    return undefined;
  }
  const lock = lockDatabaseFile(database);
  if (lock === 'in_use') return 'in_use';
  if (lock === 'damaged') {
    // A database SQLite cannot even open is moved aside whole, with its log, for whoever looks at it later.
    for (const suffix of ['', ...SIDE_FILES]) {
      if (existsSync(`${database}${suffix}`)) renameSync(`${database}${suffix}`, `${previous}${suffix}`);
    }
    adoptOwner(prepared, statSync(previous));
    renameSync(prepared, database);
    syncPath(dirname(database));
    return previous;
  }
  try {
    // The lock left the old database self-contained, so one name for its inode keeps all of it.
    try {
      linkSync(database, previous);
    } catch {
      copyFileSync(database, previous);
    }
    adoptOwner(prepared, statSync(database));
    // A WAL or shared-memory file of the old database must never be read against the new one.
    for (const suffix of SIDE_FILES) rmSync(`${database}${suffix}`, { force: true });
    renameSync(prepared, database);
    syncPath(dirname(database));
  } finally {
    lock.release();
  }
  return previous;
}

/** The restored file gets the owner and mode of what it replaces: `sudo counterpi restore` must not leave root's. */
function adoptOwner(
  file: string,
  like: { uid: number; gid: number; mode: number },
  mode = like.mode & 0o777,
): void {
  chmodSync(file, mode);
  if (process.getuid?.() === 0) chownSync(file, like.uid, like.gid);
}

function refusal(
  source: string,
  reason: 'not_sqlite' | 'corrupt' | 'too_new' | 'not_counterpi',
  problems: readonly string[],
): RestoreResult {
  const shown = problems.slice(0, 3).join('; ');
  const messages: Record<typeof reason, string> = {
    not_sqlite: `${source} is not a SQLite database (${shown}).`,
    corrupt: `${source} is damaged (${shown}); try an older backup.`,
    too_new: `${source} was written by a newer counterpi (${shown}); update counterpi first.`,
    not_counterpi: `${source} is a SQLite database, but not counterpi's (${shown}).`,
  };
  return { ok: false, reason, message: `${messages[reason]} Nothing was changed.` };
}

function removeWithSideFiles(file: string): void {
  for (const suffix of ['', ...SIDE_FILES]) rmSync(`${file}${suffix}`, { force: true });
}

/** 2026-11-24T08:30:00.123Z → 20261124T083000Z: sortable, and no colons in a file name. */
function stamp(instant: Date): string {
  return instant
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
}
