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
 * the WAL, so the copy into the database file and its fsync never stall the server's thread.
 */
const ROWS_PER_COMMIT = 64;
const port = parentPort;
if (port === null) throw new Error('the audit writer runs as a worker thread');
const { file, progress, checkpointMs } = workerData as AuditWriterData;
const done = new Int32Array(progress);
const store = openStore({ file, skipQuickCheck: true });
const { append } = createAuditAppender(createAuditRepo({ store }));

/** This connection's data_version moves when another one commits; its own commits set `wrote`. */
let seenVersion = -1;
let wrote = false;
function checkpoint(): void {
  const version = store.db.pragma('data_version', { simple: true }) as number;
  if (version === seenVersion && !wrote) return;
  seenVersion = version;
  wrote = false;
  try {
    // PASSIVE: copies what no reader still needs, never waits for readers or writers.
    store.db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    const report: AuditWriterReport = {
      lost: 0,
      reason: `checkpoint: ${(error as Error).message}`,
      full: isStorageFull(error, dirname(file)),
    };
    port?.postMessage(report);
  }
}
const checkpoints = setInterval(checkpoint, checkpointMs);

port.on('message', (batch: readonly AuditFields[] | 'close') => {
  if (batch === 'close') {
    clearInterval(checkpoints);
    checkpoint();
    store.close();
    port.close();
    return;
  }
  wrote = true;
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
