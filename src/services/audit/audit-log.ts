import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { isAppError } from '../../domain/app-error.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { AuditFilters, AuditRepo, AuditRow } from '../../store/audit-repo.js';
import type { Store } from '../../store/database.js';
import {
  type AuditEntry,
  type AuditFields,
  type AuditStamp,
  auditFields,
  createAuditAppender,
} from './audit-append.js';
import { type AuditVerification, verifyChain } from './audit-chain.js';
import { AUDIT_CSV_HEADER, auditCsvRecord, csvRecord } from './audit-csv.js';
import type { AuditWriter } from './audit-writer.js';

export type { AuditActorKind, AuditFilters, AuditRow } from '../../store/audit-repo.js';
export type { AuditEntry, AuditStamp } from './audit-append.js';
export type { AuditVerification } from './audit-chain.js';

/** The append-only, hash-chained audit log (DESIGN.md: who, what, when, outcome). */
export interface AuditLog {
  /**
   * Appends a row now: inside the caller's transaction when there is one (so the row commits or rolls
   * back with the decision it records), else in a transaction of its own; `durable` commits that one
   * with synchronous=FULL. The last hash is read inside the same write transaction, so two writers —
   * this process and the CLI — never fork the chain.
   */
  record(entry: AuditEntry, options?: { readonly durable?: boolean }): AuditStamp;
  /**
   * Appends within `batchMs`, in one transaction with the other rows queued meanwhile: for reads on hot
   * paths, whose rows may be lost with the last moments before a crash (DESIGN.md, durability).
   */
  recordSoon(entry: AuditEntry): void;
  /**
   * Appends in the store's group commit (after the rows recordSoon queued) and resolves once that
   * commit is done: for a call answered after its own group commit, whose row must be committed
   * before the answer leaves, without a commit of its own.
   */
  recordGrouped(entry: AuditEntry): Promise<AuditStamp>;
  /** Appends whatever recordSoon queued; call before the store closes. */
  flush(): void;
  /** Up to `limit` rows that pass `filters`, newest first; only rows before `beforeSeq` when given (paging). */
  recent(
    filters: AuditFilters,
    page: { readonly beforeSeq?: number | undefined; readonly limit: number },
  ): AuditRow[];
  /** Recomputes the whole chain; names the first broken row and why. */
  verify(): AuditVerification;
  /** Writes the rows that pass `filters` as CSV (header first) to `out`, which it leaves open; returns the count. */
  export(out: Writable, filters?: AuditFilters): Promise<number>;
}

const EXPORT_PAGE = 500;
/** A queue this long is written at once: memory stays bounded under any load. */
const MAX_QUEUE = 512;

/** Creates the audit log over its repository. */
export function createAuditLog(deps: {
  store: Store;
  repo: AuditRepo;
  clock: Clock;
  log?: Logger;
  /**
   * How long recordSoon rows wait to share a commit: a commit costs more than several rows, so one per
   * row would halve the throughput of the cheapest tool calls. Default 10 ms.
   */
  batchMs?: number;
  /** The thread that writes recordSoon rows (src/services/audit/audit-writer.ts); without it they are written here. */
  writer?: AuditWriter;
}): AuditLog {
  const { store, repo, clock } = deps;
  const batchMs = deps.batchMs ?? 10;
  /**
   * Rows recordSoon took, each prepared on its own as it came (an entry that cannot be summarised is a
   * row saying so): a batch written together never fails for one row's input.
   */
  let queue: AuditFields[] = [];
  let timer: NodeJS.Timeout | undefined;

  const { append } = createAuditAppender(repo);
  const { writer } = deps;
  const fieldsNow = (entry: AuditEntry) => auditFields(entry, clock.now().getTime());

  /** Writes the queue: handed to the writer thread when there is one, else here in one transaction. */
  function handOff(): void {
    clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return;
    const batch = queue;
    // Written or not, they are not kept: a failing disk must not grow the queue without end.
    queue = [];
    if (writer?.post(batch) === true) return;
    try {
      if (!store.db.open) throw new Error('the store is closed');
      store.transaction(() => append(batch));
    } catch (error) {
      // A full disk is the storage state's to log, once a minute, not here once per batch.
      if (!isAppError(error, 'storage_full'))
        deps.log?.error({ err: error, lost: batch.length }, 'audit rows could not be written');
    }
  }

  /** Waits until the writer thread has written what it was handed (never inside a transaction). */
  function caughtUp(): void {
    if (writer === undefined || !writer.behind()) return;
    store.settle();
    if (!writer.waitForAll()) deps.log?.error('the audit writer is more than 5 s behind');
  }

  function flush(): void {
    if (store.inTransaction()) {
      // The writer thread would wait for this transaction: the queue joins it instead.
      if (queue.length > 0) append(queue);
      queue = [];
      return;
    }
    handOff();
    caughtUp();
  }

  return {
    record(entry, options = {}) {
      const fields = fieldsNow(entry);
      // Rows queued earlier go first, so seq keeps the order things happened in. Inside the caller's
      // transaction they roll back with it, as read rows may be lost with a crash's last moments.
      const run = () => append([...queue, fields]);
      let stamp: AuditStamp;
      if (store.inTransaction()) stamp = run();
      else {
        caughtUp();
        stamp = options.durable === true ? store.durableTransaction(run) : store.transaction(run);
      }
      queue = [];
      return stamp;
    },
    recordGrouped(entry) {
      const fields = fieldsNow(entry);
      return store.group(() => {
        const stamp = append([...queue, fields]);
        queue = [];
        return stamp;
      });
    },
    recordSoon(entry) {
      queue.push(fieldsNow(entry));
      if (queue.length >= MAX_QUEUE) handOff();
      else if (timer === undefined) timer = setTimeout(handOff, batchMs).unref();
    },
    flush,
    recent: (filters, page) => repo.newest(page.beforeSeq ?? Number.MAX_SAFE_INTEGER, page.limit, filters),
    verify: () => verifyChain(repo.all()),
    async export(out, filters = {}) {
      let count = 0;
      let afterSeq = 0;
      const write = async (chunk: string) => {
        if (!out.write(chunk)) await once(out, 'drain');
      };
      await write(csvRecord(AUDIT_CSV_HEADER));
      for (;;) {
        const rows = repo.page(afterSeq, EXPORT_PAGE, filters);
        if (rows.length === 0) return count;
        await write(rows.map(auditCsvRecord).join(''));
        count += rows.length;
        afterSeq = rows.at(-1)?.seq ?? afterSeq;
      }
    },
  };
}
