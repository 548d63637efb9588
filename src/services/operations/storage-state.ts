import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import { formatBytes, freeBytes, storageFullError } from '../../store/storage-full.js';

/** `ok`; `low`: below the reserve; `full`: a write found no room and no check has seen room since. */
export type StorageLevel = 'ok' | 'low' | 'full';

/** The data directory's disk as the last check saw it. */
export interface StorageStatus {
  readonly level: StorageLevel;
  /** Free bytes at the last check; undefined when the file system could not be asked. */
  readonly freeBytes: number | undefined;
  readonly reserveBytes: number;
}

export interface StorageStateDeps {
  /** The data directory: the database, keys and tickets live on its disk. */
  readonly dir: string;
  /** Below this many free bytes no new order is taken (DISK_RESERVE_MB). */
  readonly reserveBytes: number;
  readonly clock: Clock;
  readonly log: Logger;
  /** How the free space is measured; statfs of `dir` unless a test measures its own way. */
  readonly measure?: (dir: string) => number | undefined;
  /** How often free space is measured. */
  readonly checkMs?: number;
}

/**
 * Whether the shop's disk has room, read by `/ready`, the owner's dashboard, the order-taking gate and
 * the log. It measures on a timer, never per request, and hears from the store when a write found no
 * room. While short of space it refuses new orders, and says so in the log at most once a minute.
 */
export interface StorageState {
  start(): void;
  stop(): void;
  /** The store's report: a write found no room (the caller already has its `storage_full` error). */
  writeRefused(): void;
  /** Throws `storage_full` while new orders, carts and checkout sessions must wait for space. */
  assertRoomForOrders(): void;
  status(): StorageStatus;
  /** For `/ready`: ok, or degraded with the free space. */
  health(): { readonly ok: boolean; readonly detail: string };
  /** For the owner's dashboard, in plain words; undefined while there is room. */
  alert(): string | undefined;
}

const CHECK_MS = 2000;
const LOG_EVERY_MS = 60_000;
/**
 * Room must come back by this much above the reserve before orders resume (no flapping at the line),
 * and a disk found full stays full until this much is free.
 */
const RESUME_MARGIN_BYTES = 1024 * 1024;

/** Creates the storage state; it measures once now and then every `checkMs` after `start()`. */
export function createStorageState(deps: StorageStateDeps): StorageState {
  const { dir, reserveBytes, clock, log } = deps;
  const measure = deps.measure ?? freeBytes;
  let free = measure(dir);
  let level: StorageLevel = levelFor(free, 'ok');
  /** Requests and writes refused since the last log line, and when that line was written. */
  let refused = 0;
  let loggedAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;

  function levelFor(bytes: number | undefined, current: StorageLevel): StorageLevel {
    if (bytes === undefined) return current;
    const room = current === 'ok' ? reserveBytes : reserveBytes + RESUME_MARGIN_BYTES;
    if (bytes >= room && bytes > 0) return 'ok';
    // A refused write keeps the disk full until a check finds some room again (then: below the reserve).
    return current === 'full' && bytes < RESUME_MARGIN_BYTES ? 'full' : 'low';
  }

  const freeText = () => (free === undefined ? 'free space unknown' : `${formatBytes(free)} free`);
  const fields = () => ({ data_dir: dir, free_bytes: free, reserve_bytes: reserveBytes, refused });

  /** A line now and then while short of space: what is refused and why, at most once a minute. */
  function remind(): void {
    const now = clock.now().getTime();
    if (level === 'ok' || now - loggedAt < LOG_EVERY_MS) return;
    log.error(
      fields(),
      level === 'full'
        ? `disk full (${freeText()} in ${dir}): writes fail and new orders are refused until space is freed`
        : `disk space low (${freeText()} in ${dir}, reserve ${formatBytes(reserveBytes)}): new orders are refused until space is freed`,
    );
    loggedAt = now;
    refused = 0;
  }

  function moveTo(next: StorageLevel): void {
    if (next === level) return;
    const was = level;
    level = next;
    if (next === 'ok') {
      log.info({ ...fields(), was }, 'disk space is back: taking new orders again');
      loggedAt = Number.NEGATIVE_INFINITY;
      refused = 0;
      return;
    }
    // Worse than before: said at once, whatever the minute.
    loggedAt = Number.NEGATIVE_INFINITY;
    remind();
  }

  function check(): void {
    free = measure(dir);
    moveTo(levelFor(free, level));
    remind();
  }

  return {
    start() {
      check();
      timer = setInterval(check, deps.checkMs ?? CHECK_MS);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
    writeRefused() {
      refused += 1;
      if (level === 'full') return remind();
      free = measure(dir);
      moveTo('full');
    },
    assertRoomForOrders() {
      if (level === 'ok') return;
      refused += 1;
      remind();
      throw storageFullError();
    },
    status: () => ({ level, freeBytes: free, reserveBytes }),
    health() {
      if (level === 'ok') return { ok: true, detail: `${freeText()} (reserve ${formatBytes(reserveBytes)})` };
      const what = level === 'full' ? 'disk full' : `below the ${formatBytes(reserveBytes)} reserve`;
      return { ok: false, detail: `degraded: ${what}, ${freeText()}; new orders refused` };
    },
    alert() {
      if (level === 'ok') return undefined;
      const state =
        level === 'full'
          ? `The memory card is full (${freeText()}).`
          : `The memory card is nearly full: ${freeText()}, less than the ${formatBytes(reserveBytes)} counterpi keeps in reserve.`;
      return `${state} Customers are told the shop cannot take orders right now. Orders already taken are still confirmed and printed. Free some space (copy old backups elsewhere and delete them, remove other files) and ordering resumes by itself within seconds.`;
    },
  };
}
