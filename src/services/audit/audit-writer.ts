import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../platform/logger.js';
import type { Store } from '../../store/database.js';
import type { AuditFields } from './audit-append.js';

/** What the writer thread starts with. */
export interface AuditWriterData {
  /** The database file: the thread opens its own connection to it. */
  readonly file: string;
  /** One Int32: how many batches the thread has finished (written or lost). */
  readonly progress: SharedArrayBuffer;
  /** The thread checkpoints once the WAL file holds this many bytes… */
  readonly checkpointBytes: number;
  /** …looking this often, in milliseconds. */
  readonly checkEveryMs: number;
}

/** What the writer thread says when a batch could not be written. */
export interface AuditWriterReport {
  readonly lost: number;
  readonly reason: string;
  /** True when the disk had no room: the storage state says that, once a minute, not each batch. */
  readonly full: boolean;
}

/**
 * The audit log's rows of reads, chained, hashed and inserted on a thread of their own: the answers
 * of the busiest calls (menu searches) never wait for the log's commits, and on a Pi the work runs on
 * another core. Rows arrive prepared (src/services/audit-append.ts `auditFields`), plain values that
 * always copy to the thread. Its connection takes SQLite's write lock like any other writer, so the
 * chain stays one line whoever appends.
 */
export interface AuditWriter {
  /** Hands a batch over; false when the thread is gone (write the batch in place then). */
  post(batch: readonly AuditFields[]): boolean;
  /** True while batches are handed over and not yet finished. */
  behind(): boolean;
  /**
   * Blocks until every batch handed over is finished, at most `timeoutMs`; false on time out. Never call
   * it while this thread holds a write transaction: the writer would wait for it.
   */
  waitForAll(timeoutMs?: number): boolean;
  /** Finishes what was handed over and stops the thread. */
  close(): Promise<void>;
}

const WAIT_MS = 5000;
/**
 * The WAL is checkpointed once it holds 16 MB (about four hundred paid orders), looked at every 5
 * seconds. A checkpoint writes each page the WAL changed to its place in the file, scattered, so the
 * fewer the checkpoints the fewer times the same hot pages are written. Measured with the bench's
 * budget harness (src/bench/pi-budgets.ts; 150 ACP orders one every 250 ms, 1 KB pages, bytes written
 * per paid order): checkpoint at 1 MB 157 KB (one run), 4 MB 146–149 KB, 16 MB 132–136 KB (three runs
 * each). A checkpoint every second, as before, with 4 KB pages: ~600 KB at one order a second.
 */
const CHECKPOINT_BYTES = 16 * 1024 * 1024;
const CHECK_EVERY_MS = 5000;
/** SQLite's own default, for the store's connection when the thread is gone: checkpoint on commit. */
const FALLBACK_AUTOCHECKPOINT_PAGES = 1000;

/**
 * Starts the writer thread on the store's database file (already migrated). While the thread runs it
 * checkpoints the WAL (once it is big enough), and the store's connection does not
 * (wal_autocheckpoint 0); if the thread stops, the connection takes checkpoints back.
 */
export function startAuditWriter(deps: {
  readonly store: Store;
  /** The database file the thread opens: the store's own, unless a test names another. */
  readonly file?: string;
  readonly log?: Logger;
  readonly checkpointBytes?: number;
  readonly checkEveryMs?: number;
  /** Told when a batch or a checkpoint found no room on the disk (the store's own `onFull`). */
  readonly onFull?: () => void;
}): AuditWriter {
  const file = deps.file ?? deps.store.db.name;
  // Another connection to ':memory:' would be another, empty database: its rows would vanish.
  if (file === ':memory:') throw new Error('The audit writer needs a database file, not :memory:.');
  const progress = new SharedArrayBuffer(4);
  const done = new Int32Array(progress);
  const data: AuditWriterData = {
    file,
    progress,
    checkpointBytes: deps.checkpointBytes ?? CHECKPOINT_BYTES,
    checkEveryMs: deps.checkEveryMs ?? CHECK_EVERY_MS,
  };
  // From sources (tests, development) the thread loads TypeScript the way the process did: through tsx.
  const fromSources = import.meta.url.endsWith('.ts');
  const worker = new Worker(new URL(`./audit-writer-worker.${fromSources ? 'ts' : 'js'}`, import.meta.url), {
    workerData: data,
    execArgv: fromSources ? ['--import', 'tsx'] : [],
  });
  worker.unref();
  deps.store.db.pragma('wal_autocheckpoint = 0');
  let posted = 0;
  let alive = true;
  const stopped = () => {
    if (!alive) return;
    alive = false;
    if (deps.store.db.open) deps.store.db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  };
  worker.on('message', (report: AuditWriterReport) => {
    if (report.full) deps.onFull?.();
    else deps.log?.error({ lost: report.lost, reason: report.reason }, 'audit rows could not be written');
  });
  worker.on('error', (error) => {
    stopped();
    deps.log?.error({ err: error }, 'the audit writer stopped; rows are written in place from now on');
  });
  worker.on('exit', stopped);
  const behind = () => alive && Atomics.load(done, 0) < posted;

  return {
    post(batch) {
      if (!alive) return false;
      try {
        worker.postMessage(batch);
      } catch {
        return false; // the thread's port is closing: written in place
      }
      posted += 1;
      return true;
    },
    behind,
    waitForAll(timeoutMs = WAIT_MS) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const finished = Atomics.load(done, 0);
        if (!alive || finished >= posted) return true;
        const left = deadline - performance.now();
        if (left <= 0) return false;
        Atomics.wait(done, 0, finished, left);
      }
    },
    async close() {
      if (!alive) return;
      const exited = once(worker, 'exit');
      // Held until it exits: else a process whose last work is this close ends before the thread's last batch.
      worker.ref();
      worker.postMessage('close');
      await exited;
    },
  };
}
