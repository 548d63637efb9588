import type { AuditActorKind, AuditRepo, AuditRow } from '../../store/audit-repo.js';
import { auditRowHash, GENESIS_HASH } from './audit-chain.js';
import { AuditInput } from './audit-input.js';
import { oneLine, redactText } from './audit-redaction.js';

/** One thing that happened, as a caller reports it. Never pass a secret as actor, client or target. */
export interface AuditEntry {
  readonly actorKind: AuditActorKind;
  /** Who: a customer subject, an ACP key id, `cli` … */
  readonly actor?: string | undefined;
  /** Through what: an OAuth client id or an ACP key id. */
  readonly client?: string | undefined;
  /** What: the surface and the call as the surface names it, `order.<event>`, `payment.succeeded` … */
  readonly action: string;
  /** On what: an order id, a checkout session id, a key id. */
  readonly target?: string | undefined;
  /** `ok`, or the error code. */
  readonly outcome: string;
  readonly latencyMs?: number | undefined;
  /**
   * What the call was given, or its AuditInput made before the call ran; only a redacted summary and a
   * hash of the redacted whole are kept.
   */
  readonly input?: unknown;
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

/** A text column: anything but a string (a caller's mistake) is kept as absent, never thrown on. */
function text(value: unknown, max: number): string | null {
  return typeof value === 'string' ? oneLine(value, max) : null;
}

/** Latency to the microsecond: a double that reads back from SQLite exactly as it was hashed. */
function latency(ms: number | undefined): number | null {
  return ms === undefined || !Number.isFinite(ms) ? null : Math.round(Math.max(0, ms) * 1000) / 1000;
}

/**
 * A row's fields from an entry that happened at `at` (epoch ms). Never throws: each row is prepared on
 * its own, and an input that cannot be summarised gives a row saying so, with the same who, what,
 * when and outcome, so neither this row nor the ones written with it are lost.
 */
export function auditFields(entry: AuditEntry, at: number): AuditFields {
  const input = entry.input instanceof AuditInput ? entry.input : AuditInput.of(entry.input);
  return {
    at,
    actorKind: entry.actorKind,
    actor: text(entry.actor, MAX_ID_LENGTH),
    client: text(entry.client, MAX_ID_LENGTH),
    action: text(entry.action, MAX_ID_LENGTH) ?? '',
    target: text(typeof entry.target === 'string' ? redactText(entry.target) : undefined, MAX_ID_LENGTH),
    outcome: text(entry.outcome, MAX_OUTCOME_LENGTH) ?? '',
    latencyMs: latency(entry.latencyMs),
    inputSummary: input?.summary ?? null,
    inputHash: input?.hash ?? null,
  };
}

/**
 * What links rows into the chain, over one connection's repository: the server's own, or the audit
 * writer thread's (src/services/audit/audit-writer.ts).
 */
export function createAuditAppender(repo: AuditRepo): {
  /**
   * Links rows to the last one, reading it once: must run inside a write transaction, which keeps
   * every other writer (another thread, the CLI) out until it commits, so the chain never forks.
   */
  append(rows: readonly AuditFields[]): AuditStamp;
} {
  return {
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
