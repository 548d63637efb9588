import { readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { addDays, type ShopCalendar } from '../../domain/shop-calendar.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { Store } from '../../store/database.js';
import { COPY_PROBLEMS, type CopyRecord, type OffCardCopies, readCopyLog } from './off-card-copies.js';

/** The nightly backups: one file a day in `dir`, the newest `keep` kept. */
export interface Backups {
  /** Schedules the nightly backup, and a catch-up soon when the newest one is over a day old. */
  start(): void;
  /** Cancels the schedule and waits for a backup under way. */
  stop(): Promise<void>;
  /**
   * Backs up now: `dir/counterpi-YYYY-MM-DD.db` (the shop's date), checked, then the oldest pruned; then
   * copied off the card where the owner asked, each copy read back and checked.
   */
  run(): Promise<BackupRun>;
  /** For `/ready` and the dashboard: when the last backup was made, or why it or a copy off the card failed. */
  health(): { ok: boolean; detail: string };
}

/** A backup on disk. */
export interface BackupFile {
  readonly file: string;
  readonly bytes: number;
  readonly at: Date;
}

/** A backup just made, and its copies off the card (none when no place is set up). */
export interface BackupRun extends BackupFile {
  readonly copies: readonly CopyRecord[];
}

export interface BackupsDeps {
  readonly store: Pick<Store, 'backup'>;
  readonly dir: string;
  readonly clock: Clock;
  /** The shop's calendar: backups run at local time and are named by the local date. */
  readonly calendar: () => Pick<ShopCalendar, 'localParts' | 'toInstant'>;
  readonly log: Logger;
  /** Copies each fresh backup to a USB stick or a remote; none by default. */
  readonly offCard?: Pick<OffCardCopies, 'copy' | 'stop'>;
  /** Backups kept; 7 by default. */
  readonly keep?: number;
  /** Minutes after local midnight the nightly backup runs; 03:30 by default, when shops are closed. */
  readonly atMinutes?: number;
  /** Wait after start before a catch-up backup (the Pi may have been off at night); one minute by default. */
  readonly catchUpDelayMs?: number;
}

const BACKUP_NAME = /^counterpi-(\d{4}-\d{2}-\d{2})\.db$/;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A backup older than this makes the component unhealthy: at least one night was missed. */
const STALE_MS = 2 * DAY_MS;
/** Timers wake at least this often, so a clock set late (a Pi has no RTC) cannot push a backup far off. */
const MAX_SLEEP_MS = HOUR_MS;

/** The file name of the backup taken on a local date. */
export function backupName(date: string): string {
  return `counterpi-${date}.db`;
}

/** The backups in `dir`, newest first. */
export function listBackups(dir: string): BackupFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => BACKUP_NAME.test(name))
    .sort()
    .reverse()
    .map((name) => {
      const file = join(dir, name);
      const stat = statSync(file);
      return { file, bytes: stat.size, at: stat.mtime };
    });
}

/** The first instant after `now` at `atMinutes` past local midnight. */
export function nextBackupAt(
  now: Date,
  calendar: Pick<ShopCalendar, 'localParts' | 'toInstant'>,
  atMinutes: number,
): Date {
  const today = calendar.localParts(now).date;
  const tonight = calendar.toInstant(today, atMinutes);
  return tonight > now ? tonight : calendar.toInstant(addDays(today, 1), atMinutes);
}

/** The nightly backup of the running store, taken while it serves. */
export function createBackups(deps: BackupsDeps): Backups {
  const { dir, clock, log } = deps;
  const keep = deps.keep ?? 7;
  const atMinutes = deps.atMinutes ?? 210;
  let last: BackupFile | undefined = listBackups(dir)[0];
  let copies: readonly CopyRecord[] = latestCopies(readCopyLog(dir));
  let failure: { at: Date; message: string } | undefined;
  let due: Date | undefined;
  let catchUp = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<BackupRun> | undefined;
  let stopped = false;
  const startedAt = clock.now();

  async function backup(): Promise<BackupRun> {
    const began = Date.now();
    const at = clock.now();
    const file = join(dir, backupName(deps.calendar().localParts(at).date));
    // Written beside, checked, then put in place by the store: a failed copy keeps the day's earlier one.
    deps.store.backup(file);
    const written = { file, bytes: statSync(file).size, at };
    const pruned = prune();
    log.info({ file, bytes: written.bytes, ms: Date.now() - began, kept: keep, pruned }, 'backup written');
    return { ...written, copies: (await deps.offCard?.copy(file)) ?? [] };
  }

  /** Deletes all but the newest `keep` backups, and copies left half-written by a crash. */
  function prune(): string[] {
    const old = listBackups(dir).slice(keep);
    for (const { file } of old) rmSync(file, { force: true });
    for (const name of readdirSync(dir))
      if (name.endsWith('.db.partial') || name.startsWith('.offcard-'))
        rmSync(join(dir, name), { force: true, recursive: true });
    return old.map(({ file }) => file);
  }

  function run(): Promise<BackupRun> {
    if (running !== undefined) return running;
    running = backup()
      .then((written) => {
        last = written;
        failure = undefined;
        if (written.copies.length > 0) copies = written.copies;
        return written;
      })
      .catch((error: unknown) => {
        // `/ready` is public: it names the failure by its code, the log has the whole error.
        const code = (error as { code?: unknown }).code;
        failure = { at: clock.now(), message: typeof code === 'string' ? code : 'see the log' };
        log.error({ err: error, dir }, 'backup failed');
        throw error;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  /** Plans the next backup: at `delayMs` from now (a catch-up), or tonight at `atMinutes` shop time. */
  function schedule(delayMs?: number): void {
    if (stopped) return;
    const now = clock.now();
    catchUp = delayMs !== undefined;
    due = catchUp ? new Date(now.getTime() + (delayMs ?? 0)) : nextBackupAt(now, deps.calendar(), atMinutes);
    sleep(catchUp ? (delayMs ?? 0) : due.getTime() - now.getTime());
  }

  function sleep(waitMs: number): void {
    timer = setTimeout(wake, Math.min(Math.max(0, waitMs), MAX_SLEEP_MS));
    timer.unref();
  }

  function wake(): void {
    if (stopped) return;
    const left = (due?.getTime() ?? 0) - clock.now().getTime();
    if (!catchUp && left > 0) {
      sleep(left);
      return;
    }
    // A failed backup (a full card, say) is tried again in an hour rather than tomorrow night.
    run().then(
      () => schedule(),
      () => schedule(HOUR_MS),
    );
  }

  return {
    start() {
      const stale = last === undefined || clock.now().getTime() - last.at.getTime() > DAY_MS;
      schedule(stale ? (deps.catchUpDelayMs ?? 60_000) : undefined);
      log.info({ dir, next: due?.toISOString(), last: last?.file }, 'nightly backups scheduled');
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      deps.offCard?.stop();
      await running?.catch(() => {});
    },
    run,
    health() {
      const next = due === undefined ? '' : `; next ${due.toISOString()}`;
      if (failure !== undefined)
        return {
          ok: false,
          detail: `last backup failed ${failure.at.toISOString()}: ${failure.message}${next}`,
        };
      const now = clock.now().getTime();
      if (last === undefined) {
        return { ok: now - startedAt.getTime() < STALE_MS, detail: `no backup yet${next}` };
      }
      const failed = copies.filter((copy) => copy.problem !== undefined);
      return {
        ok: now - last.at.getTime() < STALE_MS && failed.length === 0,
        detail: `last backup ${last.at.toISOString()} (${basename(last.file)})${copyNotes(copies)}${next}`,
      };
    },
  };
}

const PLACE = { usb: 'USB stick', remote: 'remote' } as const;

/** The newest copy to each kind of place: what the last run did there. */
function latestCopies(records: readonly CopyRecord[]): CopyRecord[] {
  return (['usb', 'remote'] as const).flatMap((kind) => records.find((r) => r.destination === kind) ?? []);
}

/** `; copied to USB stick (verified); copy to remote failed: rclone could not copy to the remote` */
function copyNotes(copies: readonly CopyRecord[]): string {
  return copies
    .map((copy) =>
      copy.problem === undefined
        ? `; copied to ${PLACE[copy.destination]} (verified)`
        : `; copy to ${PLACE[copy.destination]} failed: ${COPY_PROBLEMS[copy.problem]}`,
    )
    .join('');
}
