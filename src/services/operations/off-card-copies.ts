import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import { inspectDatabaseFile } from '../../store/database-file.js';
import { type BackupKeys, SEALED_KEY_FILE } from './backup-encryption.js';
import type { OffCardTarget } from './off-card-target.js';
import { ToolError } from './run-tool.js';

/** Why a copy off the card failed. */
export type CopyProblem =
  | 'not_mounted'
  | 'copy_failed'
  | 'verify_failed'
  | 'rclone_failed'
  | 'rclone_missing'
  | 'age_missing'
  | 'encrypt_failed';

const copyRecord = z.object({
  destination: z.enum(['usb', 'remote']),
  where: z.string(),
  at: z.string(),
  bytes: z.number().int().nonnegative().optional(),
  encrypted: z.boolean(),
  verified: z.boolean(),
  problem: z
    .enum([
      'not_mounted',
      'copy_failed',
      'verify_failed',
      'rclone_failed',
      'rclone_missing',
      'age_missing',
      'encrypt_failed',
    ])
    .optional(),
  /** What the tool or the check said, for the owner's page (already cleaned of secrets). */
  detail: z.string().optional(),
});

/** One copy of one backup to one place, and whether reading it back passed `quick_check`. */
export type CopyRecord = z.infer<typeof copyRecord>;

/** The owner's words for each problem; they name no path, so `/ready` and the dashboard can show them. */
export const COPY_PROBLEMS: Readonly<Record<CopyProblem, string>> = {
  not_mounted: 'the USB stick is not plugged in (or not mounted)',
  copy_failed: 'the copy could not be written',
  verify_failed: 'the copy failed its check when read back',
  rclone_failed: 'rclone could not copy to the remote',
  rclone_missing: 'rclone is not installed (sudo apt install rclone)',
  age_missing: 'age is not installed (sudo apt install age)',
  encrypt_failed: 'the copy could not be encrypted',
};

const LOG_FILE = 'copies.json';
const LOG_KEEP = 40;
const COPY_NAME = /^counterpi-\d{4}-\d{2}-\d{2}\.db(\.age)?$/;

/** The copies made lately, newest first, kept in `backupsDir/copies.json`. */
export function readCopyLog(backupsDir: string): CopyRecord[] {
  try {
    return z.array(copyRecord).parse(JSON.parse(readFileSync(join(backupsDir, LOG_FILE), 'utf8')));
  } catch {
    return [];
  }
}

function writeCopyLog(backupsDir: string, records: readonly CopyRecord[]): void {
  const file = join(backupsDir, LOG_FILE);
  writeFileSync(`${file}.new`, JSON.stringify(records.slice(0, LOG_KEEP)));
  renameSync(`${file}.new`, file);
}

function problemOf(error: unknown, kind: OffCardTarget['kind']): CopyProblem {
  if (!(error instanceof ToolError)) return 'copy_failed';
  if (error.tool === 'age') return error.reason === 'missing' ? 'age_missing' : 'encrypt_failed';
  if (error.tool === 'rclone') return error.reason === 'missing' ? 'rclone_missing' : 'rclone_failed';
  return kind === 'remote' ? 'rclone_failed' : 'copy_failed';
}

/** What went wrong, for the owner: the tool's last words (cleaned of secrets), or the system's error code. */
function detailOf(error: unknown): string {
  if (!(error instanceof ToolError)) return (error as { code?: string }).code ?? 'error';
  return error.reason === 'stopped' ? 'stopped: counterpi was shutting down' : error.detail;
}

export interface OffCardDeps {
  /** DATA_DIR/backups: the local backups, the copy log and the scratch files. */
  readonly backupsDir: string;
  /** Where copies go this run (read each run: the owner may plug a stick in or change the remote). */
  readonly targets: () => readonly OffCardTarget[];
  readonly keys: BackupKeys;
  readonly clock: Clock;
  readonly log: Logger;
  /** Copies kept on each destination. */
  readonly keep: number;
}

/** Copies a fresh local backup to every place off the card, each read back and checked. */
export function createOffCardCopies(deps: OffCardDeps) {
  const { backupsDir, keys, log } = deps;
  // Shutdown stops a copy under way (an rclone upload can take minutes) rather than wait for it.
  const stopping = new AbortController();
  const { signal } = stopping;

  /** One copy: encrypted when the owner set a passphrase, put, fetched back, opened read-only and checked. */
  async function copyTo(target: OffCardTarget, local: string, scratch: string): Promise<CopyRecord> {
    const encrypted = keys.enabled();
    const name = `${basename(local)}${encrypted ? '.age' : ''}`;
    const base = {
      destination: target.kind,
      where: target.where(name),
      at: deps.clock.now().toISOString(),
      encrypted,
    };
    const absent = target.ready();
    if (absent !== undefined) return { ...base, verified: false, problem: absent };
    try {
      const source = encrypted ? join(scratch, name) : local;
      if (encrypted) await keys.encrypt(local, source, signal);
      await target.put(source, name, signal);
      if (encrypted) await target.put(keys.sealedKey, SEALED_KEY_FILE, signal);
      const bytes = statSync(source).size;
      const problems = await readBack(target, name, scratch, encrypted);
      if (problems !== undefined)
        return { ...base, bytes, verified: false, problem: 'verify_failed', detail: problems };
      await prune(target);
      return { ...base, bytes, verified: true };
    } catch (error) {
      return { ...base, verified: false, problem: problemOf(error, target.kind), detail: detailOf(error) };
    }
  }

  /**
   * Opens the copy read-only with `quick_check` where it lies (a stick) or fetched back (a remote), once
   * decrypted when it is encrypted; undefined when it is sound. A stick's copy may still be read from the
   * page cache: it checks what the file system holds after the flush, not the flash cells themselves.
   */
  async function readBack(target: OffCardTarget, name: string, scratch: string, encrypted: boolean) {
    const back = await target.fetch(name, join(scratch, `back-${name}`), signal);
    const plain = encrypted ? join(scratch, 'back-plain.db') : back;
    if (encrypted) {
      try {
        await keys.decrypt(back, plain, signal);
      } catch (error) {
        return `the copy does not decrypt: ${error instanceof ToolError ? error.detail : 'error'}`;
      }
    }
    const report = inspectDatabaseFile(plain, { readonly: true });
    return report.ok ? undefined : `${report.reason}: ${report.problems.slice(0, 2).join('; ')}`;
  }

  /** Deletes all but the newest `keep` copies there; a failure here never fails the copy. */
  async function prune(target: OffCardTarget): Promise<void> {
    try {
      const old = (await target.list(signal))
        .filter((n) => COPY_NAME.test(n))
        .sort()
        .reverse()
        .slice(deps.keep);
      for (const name of old) await target.remove(name, signal);
    } catch (error) {
      log.warn({ err: error, destination: target.kind }, 'old off-card copies could not be pruned');
    }
  }

  return {
    /** Stops a copy under way; later runs copy nothing. */
    stop(): void {
      stopping.abort();
    },
    /** Copies `local` everywhere configured; records and returns what happened, one record a place. */
    async copy(local: string): Promise<CopyRecord[]> {
      const targets = deps.targets();
      if (targets.length === 0 || signal.aborted) return [];
      mkdirSync(backupsDir, { recursive: true });
      const scratch = mkdtempSync(join(backupsDir, '.offcard-'));
      const made: CopyRecord[] = [];
      try {
        for (const target of targets) made.push(await copyTo(target, local, scratch));
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
      writeCopyLog(backupsDir, [...made, ...readCopyLog(backupsDir)]);
      for (const record of made) {
        const fields = { destination: record.destination, where: record.where, bytes: record.bytes };
        if (record.problem === undefined) log.info(fields, 'backup copied off the card and verified');
        else
          log.error(
            { ...fields, problem: record.problem, detail: record.detail },
            'backup copy off the card failed',
          );
      }
      return made;
    },
  };
}

/** The copy service. */
export type OffCardCopies = ReturnType<typeof createOffCardCopies>;
