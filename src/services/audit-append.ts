import type { AuditActorKind, AuditRepo, AuditRow } from '../store/audit-repo.js';
import { auditRowHash, GENESIS_HASH } from './audit-chain.js';
import { clip, redactText, summarizeInput } from './audit-redaction.js';

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

/** An entry waiting to be written, with the time it happened (epoch ms). */
export interface QueuedAuditEntry {
  readonly entry: AuditEntry;
  readonly at: number;
}

/** Where a recorded row landed in the chain. */
export interface AuditStamp {
  readonly seq: number;
  readonly hash: string;
}

/** A row's stored fields, before the chain links and hashes it. */
export type AuditFields = Omit<AuditRow, 'seq' | 'prevHash' | 'hash'>;

const MAX_ID_LENGTH = 128;
const MAX_OUTCOME_LENGTH = 64;
/** Distinct inputs whose summary is remembered. */
const MAX_CACHED_SUMMARIES = 512;
/** C0, DEL and C1 controls: no place in one line of a log. */
const CONTROLS = /\p{Cc}/gu;

function text(value: string | undefined, max: number): string | null {
  return value === undefined ? null : clip(value.replace(CONTROLS, ' '), max);
}

/** Latency to the microsecond: a double that reads back from SQLite exactly as it was hashed. */
function latency(ms: number | undefined): number | null {
  return ms === undefined || !Number.isFinite(ms) ? null : Math.round(Math.max(0, ms) * 1000) / 1000;
}

/**
 * What turns entries into chained rows, over one connection's repository: the server's own, or the
 * audit writer thread's (src/services/audit-writer.ts).
 */
export function createAuditAppender(repo: AuditRepo): {
  fieldsOf(entry: AuditEntry, at: number): AuditFields;
  /**
   * Links rows to the last one, reading it once: must run inside a write transaction, which keeps
   * every other writer (another thread, the CLI) out until it commits, so the chain never forks.
   */
  append(rows: readonly AuditFields[]): AuditStamp;
} {
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

  return {
    fieldsOf(entry, at) {
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
    },
    append(rows) {
      let link = repo.last() ?? { seq: 0, hash: GENESIS_HASH };
      for (const fields of rows) {
        const unhashed = { ...fields, seq: link.seq + 1, prevHash: link.hash };
        const row: AuditRow = { ...unhashed, hash: auditRowHash(unhashed) };
        repo.insert(row);
        link = { seq: row.seq, hash: row.hash };
      }
      return link;
    },
  };
}
