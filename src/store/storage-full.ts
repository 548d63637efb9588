import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../domain/app-error.js';

/** What a customer or an agent is told while the shop's disk has no room for their order. */
export const STORAGE_FULL_MESSAGE =
  'The shop cannot take orders right now: its storage is full. Nothing was changed; please try again in a few minutes.';
/** Seconds after which a client may try again: the owner needs a moment to free space. */
const RETRY_AFTER_SECONDS = 60;
/**
 * Below this much free space an I/O error counts as a full disk: SQLite says SQLITE_IOERR_SHMSIZE or
 * SQLITE_IOERR_WRITE (not SQLITE_FULL) when its shared memory file or WAL cannot grow. With more room
 * than this, an I/O error is a failing card, not a full one, and stays what it is.
 */
const IOERR_AS_FULL_BELOW_BYTES = 1024 * 1024;

/** Free bytes for an unprivileged writer on the file system holding `path`; undefined if unknown. */
export function freeBytes(path: string): number | undefined {
  try {
    const stats = statfsSync(path);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}

/** "0 B", "812 KB", "63.4 MB", "1.2 GB": free space as an owner reads it. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown =
    unit === 0 || value >= 100 || Number.isInteger(value) ? Math.round(value).toString() : value.toFixed(1);
  return `${shown} ${units[unit]}`;
}

/**
 * True when `error` says a write found no room: SQLite's SQLITE_FULL, Node's ENOSPC, an AppError
 * already translated, or an SQLite I/O error while the disk holding `dir` is (nearly) full.
 */
export function isStorageFull(error: unknown, dir: string): boolean {
  if (error instanceof AppError) return error.code === 'storage_full';
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return true;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_IOERR')) return false;
  return (freeBytes(dir) ?? Number.POSITIVE_INFINITY) < IOERR_AS_FULL_BELOW_BYTES;
}

/** The one error a refused write or a refused new order gets while storage is full or low. */
export function storageFullError(cause?: unknown): AppError {
  return new AppError('storage_full', STORAGE_FULL_MESSAGE, { cause, retryAfter: RETRY_AFTER_SECONDS });
}

/** At start-up, for the operator: which disk, how much is free, and what to do. */
export function storageFullAtStart(file: string, cause: unknown): AppError {
  const dir = dirname(file);
  const free = freeBytes(dir);
  return new AppError(
    'storage_full',
    `counterpi cannot start: the disk holding ${file} is full (${free === undefined ? 'free space unknown' : `${formatBytes(free)} free`} in ${dir}). Free some space there (move old backups out of DATA_DIR/backups, remove other files) and start counterpi again; nothing was lost.`,
    { cause, details: { file, free_bytes: free } },
  );
}
