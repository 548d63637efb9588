import { isAppError } from '../../domain/app-error.js';
import type { Logger } from '../../platform/logger.js';
import type { Store } from '../../store/database.js';
import type { PrintJob, PrintJobsRepo } from '../../store/print-jobs-repo.js';

/** What a printed ticket's record says when its sending mark could not be written first. */
export const PRINTED_UNMARKED_NOTE =
  'printed while the disk was full, without its durable sending mark: a restart before this record could have printed it again without the REPRINT heading';

/** A print job's write the disk had no room for, kept in memory until it has. */
export type OwedWrite =
  | {
      readonly kind: 'printed';
      readonly job: PrintJob;
      /** True when its sending mark was never written either: recorded with PRINTED_UNMARKED_NOTE. */
      readonly unmarked: boolean;
    }
  | {
      readonly kind: 'retry';
      readonly retry: { error: string; reprint: boolean; nextAttemptAt: number; nowMs: number };
    }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * The print queue's writes made in memory while the disk is full: a ticket printed, a failed send to
 * retry, a job given up. Printing never waits for the disk; the records follow once it has room.
 */
export interface OwedWrites {
  owe(jobId: number, write: OwedWrite): void;
  /** The job's own record is written after all (its sending mark went in): nothing owed for it. */
  forget(jobId: number): void;
  /** Jobs not to pick up again: printed or given up, their record still owed. */
  done(): number[];
  /** True when a failed send, not yet recorded, may have printed the job (its retry goes REPRINT). */
  reprint(jobId: number): boolean;
  /**
   * Writes what is owed, oldest first; stops at the first write the disk still has no room for. A
   * retry or a give-up that fails otherwise is dropped (the job's row says enough); a print never is.
   */
  settle(nowMs: number): void;
}

export function createOwedWrites(deps: {
  readonly store: Store;
  readonly jobs: PrintJobsRepo;
  /** The order's move to the kitchen once its ticket printed, in the record's transaction. */
  readonly printed: (job: PrintJob) => void;
  readonly log: Logger;
}): OwedWrites {
  const { store, jobs, log } = deps;
  const owed = new Map<number, OwedWrite>();
  /** Jobs whose record failed for another reason than room: said once each. */
  const reported = new Set<number>();

  function write(jobId: number, entry: OwedWrite, nowMs: number): void {
    if (entry.kind === 'retry') jobs.markRetry(jobId, entry.retry);
    else if (entry.kind === 'failed') jobs.markFailed(jobId, entry.reason, nowMs);
    else {
      if (entry.unmarked) jobs.markPrintedLate(jobId, PRINTED_UNMARKED_NOTE, nowMs);
      else jobs.markPrinted(jobId, nowMs);
      deps.printed(entry.job);
    }
  }

  return {
    owe(jobId, entry) {
      owed.set(jobId, entry);
    },
    forget(jobId) {
      owed.delete(jobId);
    },
    done: () => [...owed].filter(([, entry]) => entry.kind !== 'retry').map(([id]) => id),
    reprint(jobId) {
      const entry = owed.get(jobId);
      return entry?.kind === 'retry' && entry.retry.reprint;
    },
    settle(nowMs) {
      for (const [jobId, entry] of owed) {
        try {
          store.transaction(() => write(jobId, entry, nowMs));
        } catch (error) {
          if (isAppError(error, 'storage_full')) return;
          if (!reported.has(jobId))
            log.error({ err: error, job_id: jobId }, 'a print record could not be written');
          reported.add(jobId);
          // A printed ticket stays owed whatever the error: forgetting it would print it again, unmarked.
          if (entry.kind === 'printed') continue;
        }
        owed.delete(jobId);
        reported.delete(jobId);
        if (entry.kind === 'printed' && entry.unmarked) {
          log.info(
            { job_id: jobId, order_id: entry.job.orderId },
            'ticket printed while the disk was full is recorded now (no restart came between: no reprint risk left)',
          );
        }
      }
    },
  };
}
