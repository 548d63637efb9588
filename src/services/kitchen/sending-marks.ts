import { isAppError } from '../../domain/app-error.js';
import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/database.js';
import type { PrintJobsRepo } from '../../store/print-jobs-repo.js';

/** How a job's sending mark went: written, the job was no longer pending, or no room on the disk. */
export type SendingMark = 'marked' | 'gone' | 'unmarked';

/**
 * The durable pending → sending marks of the print lanes. The marks asked for in one turn of the event
 * loop share one synchronous=FULL commit: when an order's station tickets leave together, one fsync
 * covers them all instead of one each (the fsync holds the event loop, on an SD card for milliseconds).
 * Each job's bytes still leave only once its own mark is on disk.
 */
export interface SendingMarks {
  mark(jobId: number): Promise<SendingMark>;
}

export function createSendingMarks(deps: {
  readonly store: Store;
  readonly jobs: Pick<PrintJobsRepo, 'markSending'>;
  readonly clock: Clock;
}): SendingMarks {
  let waiting: { id: number; resolve: (mark: SendingMark) => void; reject: (error: unknown) => void }[] = [];

  function flush(): void {
    const batch = waiting;
    waiting = [];
    let marked: boolean[];
    try {
      const now = deps.clock.now().getTime();
      marked = deps.store.durableTransaction(() => batch.map((b) => deps.jobs.markSending(b.id, now)));
    } catch (error) {
      for (const b of batch) {
        if (isAppError(error, 'storage_full')) b.resolve('unmarked');
        else b.reject(error);
      }
      return;
    }
    for (const [i, b] of batch.entries()) b.resolve(marked[i] === true ? 'marked' : 'gone');
  }

  return {
    mark(id) {
      if (waiting.length === 0) setImmediate(flush);
      return new Promise((resolve, reject) => {
        waiting.push({ id, resolve, reject });
      });
    },
  };
}
