import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createAuditRepo } from '../../store/audit-repo.js';
import { openStore } from '../../store/database.js';
import { isStorageFull } from '../../store/storage-full.js';
import { type AuditFields, createAuditAppender } from './audit-append.js';
import type { AuditWriterData, AuditWriterReport } from './audit-writer.js';

/**
 * The audit writer thread (src/services/audit/audit-writer.ts): its own connection to the shop's database,
 * one transaction per batch the server hands over, then the batch counted as done. It also checkpoints
 * the WAL (below).
 */
const ROWS_PER_COMMIT = 64;
const port = parentPort;
if (port === null) throw new Error('the audit writer runs as a worker thread');
const { file, progress, checkpointBytes, checkEveryMs } = workerData as AuditWriterData;
const done = new Int32Array(progress);
// Its page cache holds the path to the log's last page, not the shop's data: a few dozen pages, where
// the store's 2 MB would fill with every page it appends.
const store = openStore({ file, skipQuickCheck: true, pageCacheKiB: 256 });
const { append } = createAuditAppender(createAuditRepo({ store }));

// The WAL is copied into the database file here, off the server's thread, once it holds
// `checkpointBytes`: never on a timer, so the pages many commits touched (an index's last leaf, the
// header) reach the file once per checkpoint rather than once per order. The store truncates the WAL
// when it starts it again (journal_size_limit 0), so the file's size is the work waiting.
store.db.pragma('wal_autocheckpoint = 0');
const busyTimeoutMs = store.db.pragma('busy_timeout', { simple: true }) as number;
// How long the closing TRUNCATE may wait for a writer or a reader to finish: writers wait for it too.
const TRUNCATE_WAIT_MS = 100;

function checkpointWhenDue(): void {
  try {
    if ((statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) < checkpointBytes) return;
    // PASSIVE: copies what no reader still needs, never waits for readers or writers.
    store.db.pragma('wal_checkpoint(PASSIVE)');
    // The WAL starts over only when a writer finds every frame in the file, and under steady writes a
    // frame committed during the copy is always there first: it would grow without end (600 MB after
    // 5,000 orders eight at a time). TRUNCATE copies those last few and empties the file. Writers wait
    // while it runs, so it waits for them only briefly; when it cannot, the next look tries again.
    truncateWal();
  } catch (error) {
    const report: AuditWriterReport = {
      lost: 0,
      reason: `checkpoint: ${(error as Error).message}`,
      full: isStorageFull(error, dirname(file)),
    };
    port?.postMessage(report);
  }
}
function truncateWal(): void {
  store.db.pragma(`busy_timeout = ${TRUNCATE_WAIT_MS}`);
  try {
    store.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    store.db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  }
}
const checkpoints = setInterval(checkpointWhenDue, checkEveryMs);

port.on('message', (batch: readonly AuditFields[] | 'close') => {
  if (batch === 'close') {
    clearInterval(checkpoints);
    store.close();
    port.close();
    return;
  }
  // Short transactions: the server's own writers never wait long for the write lock.
  for (let from = 0; from < batch.length; from += ROWS_PER_COMMIT) {
    const rows = batch.slice(from, from + ROWS_PER_COMMIT);
    try {
      store.transaction(() => append(rows));
    } catch (error) {
      const report: AuditWriterReport = {
        lost: rows.length,
        reason: (error as Error).message,
        full: isStorageFull(error, dirname(file)),
      };
      port.postMessage(report);
    }
  }
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
});
