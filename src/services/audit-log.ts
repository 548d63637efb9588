import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { AuditActorKind, AuditFilters, AuditRepo, AuditRow } from '../store/audit-repo.js';
import type { Store } from '../store/database.js';
import { type AuditVerification, auditRowHash, GENESIS_HASH, verifyChain } from './audit-chain.js';
import { AUDIT_CSV_HEADER, auditCsvRecord, csvRecord } from './audit-csv.js';
import { clip, redactText, summarizeInput } from './audit-redaction.js';

export type { AuditActorKind, AuditFilters, AuditRow } from '../store/audit-repo.js';
export type { AuditVerification } from './audit-chain.js';

/** One thing that happened, as a caller reports it. Never pass a secret as actor, client or target. */
export interface AuditEntry {
  readonly actorKind: AuditActorKind;
  /** Who: a customer subject, an ACP key id, `cli` … */
  readonly actor?: string | undefined;
  /** Through what: an OAuth client id or an ACP key id. */
  readonly client?: string | undefined;
  /** What: `mcp.tools/call place_order`, `acp.POST /checkout_sessions/{id}/complete`, `payment.succeeded` … */
  readonly action: string;
  /** On what: an order id, a checkout session id, a key id. */
  readonly target?: string | undefined;
  /** `ok`, or the error code. */
  readonly outcome: string;
  readonly latencyMs?: number | undefined;
  /** What the call was given; only a redacted summary and a hash of the redacted whole are kept. */
  readonly input?: unknown;
}

/** Where a recorded row landed in the chain. */
export interface AuditStamp {
  readonly seq: number;
  readonly hash: string;
}

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

const MAX_ID_LENGTH = 128;
const MAX_OUTCOME_LENGTH = 64;
const EXPORT_PAGE = 500;
/** Distinct inputs whose summary is remembered. */
const MAX_CACHED_SUMMARIES = 512;
/** A queue this long is written at once: memory stays bounded under any load. */
const MAX_QUEUE = 512;
/** C0, DEL and C1 controls: no place in one line of a log. */
const CONTROLS = /\p{Cc}/gu;

function text(value: string | undefined, max: number): string | null {
  return value === undefined ? null : clip(value.replace(CONTROLS, ' '), max);
}

/** Latency to the microsecond: a double that reads back from SQLite exactly as it was hashed. */
function latency(ms: number | undefined): number | null {
  return ms === undefined || !Number.isFinite(ms) ? null : Math.round(Math.max(0, ms) * 1000) / 1000;
}

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
}): AuditLog {
  const { store, repo, clock } = deps;
  const batchMs = deps.batchMs ?? 10;
  /** Entries recordSoon took, with their time; redacted and hashed when written, off the answer's path. */
  let queue: { readonly entry: AuditEntry; readonly at: number }[] = [];
  let timer: NodeJS.Timeout | undefined;

  // Conversations repeat the same calls ("search burger"): an input's redacted summary and hash are
  // kept by its JSON, so a repeated read costs a lookup instead of redacting and hashing again.
  const summaries = new Map<string, ReturnType<typeof summarizeInput>>();
  function summaryOf(input: unknown): ReturnType<typeof summarizeInput> {
    if (input === undefined) return undefined;
    const key = JSON.stringify(input);
    if (key === undefined) return summarizeInput(input);
    let summary = summaries.get(key);
    if (summary === undefined) {
      summary = summarizeInput(input);
      if (summaries.size >= MAX_CACHED_SUMMARIES) summaries.clear();
      summaries.set(key, summary);
    }
    return summary;
  }

  function fieldsOf(entry: AuditEntry, at: number): Omit<AuditRow, 'seq' | 'prevHash' | 'hash'> {
    const input = summaryOf(entry.input);
    return {
      at,
      actorKind: entry.actorKind,
      actor: text(entry.actor, MAX_ID_LENGTH),
      client: text(entry.client, MAX_ID_LENGTH),
      action: text(entry.action, MAX_ID_LENGTH) ?? '',
      target: text(entry.target === undefined ? undefined : redactText(entry.target), MAX_ID_LENGTH),
      outcome: text(entry.outcome, MAX_OUTCOME_LENGTH) ?? '',
      latencyMs: latency(entry.latencyMs),
      inputSummary: input?.summary ?? null,
      inputHash: input?.hash ?? null,
    };
  }

  /**
   * Links rows to the last one, reading it once: must run inside a write transaction, which keeps
   * every other writer out until it commits.
   */
  function append(rows: readonly Omit<AuditRow, 'seq' | 'prevHash' | 'hash'>[]): AuditStamp {
    let link = repo.last() ?? { seq: 0, hash: GENESIS_HASH };
    for (const fields of rows) {
      const unhashed = { ...fields, seq: link.seq + 1, prevHash: link.hash };
      const row: AuditRow = { ...unhashed, hash: auditRowHash(unhashed) };
      repo.insert(row);
      link = { seq: row.seq, hash: row.hash };
    }
    return link;
  }

  const queued = () => queue.map(({ entry, at }) => fieldsOf(entry, at));

  function flush(): void {
    clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return;
    const lost = queue.length;
    try {
      if (!store.db.open) throw new Error('the store is closed');
      store.transaction(() => append(queued()));
    } catch (error) {
      deps.log?.error({ err: error, lost }, 'audit rows could not be written');
    }
    // Written or not, they are not kept: a failing disk must not grow the queue without end.
    queue = [];
  }

  return {
    record(entry, options = {}) {
      const fields = fieldsOf(entry, clock.now().getTime());
      if (store.db.inTransaction) return append([fields]);
      // Its own transaction: rows queued earlier go first, so seq keeps the order things happened in.
      const run = () => append([...queued(), fields]);
      const stamp = options.durable === true ? store.durableTransaction(run) : store.transaction(run);
      queue = [];
      return stamp;
    },
    recordSoon(entry) {
      queue.push({ entry, at: clock.now().getTime() });
      if (queue.length >= MAX_QUEUE) flush();
      else if (timer === undefined) timer = setTimeout(flush, batchMs).unref();
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
