import type { Store } from './database.js';

/** Who acted: a signed-in customer, an OAuth client, an ACP API key, the owner, or counterpi itself. */
export type AuditActorKind = 'customer' | 'client' | 'acp_key' | 'owner' | 'system';

/** One `audit_log` row as stored. Absent values are null, as SQLite gives them back. */
export interface AuditRow {
  readonly seq: number;
  readonly at: number;
  readonly actorKind: AuditActorKind;
  readonly actor: string | null;
  readonly client: string | null;
  readonly action: string;
  readonly target: string | null;
  readonly outcome: string;
  readonly latencyMs: number | null;
  readonly inputSummary: string | null;
  readonly inputHash: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** Which rows an export wants; every bound is optional. */
export interface AuditFilters {
  /** Epoch milliseconds, inclusive. */
  readonly sinceMs?: number | undefined;
  /** Epoch milliseconds, exclusive. */
  readonly untilMs?: number | undefined;
  /** Rows whose action starts with this (`acp.`, `mcp.tools/call place_order`). */
  readonly actionPrefix?: string | undefined;
}

/** Reads and appends `audit_log`. Writes run inside the caller's transaction: the chain needs it. */
export interface AuditRepo {
  /** The last row's seq and hash, or undefined for an empty log. */
  last(): { readonly seq: number; readonly hash: string } | undefined;
  insert(row: AuditRow): void;
  /** Up to `limit` rows after `afterSeq` that pass the filters, in seq order. */
  page(afterSeq: number, limit: number, filters: AuditFilters): AuditRow[];
  /** Up to `limit` rows before `beforeSeq` that pass the filters, newest first (the owner's audit page). */
  newest(beforeSeq: number, limit: number, filters: AuditFilters): AuditRow[];
  /** Every row in seq order, read lazily (verify walks the whole chain). */
  all(): IterableIterator<AuditRow>;
}

interface Row {
  seq: number;
  at: number;
  actor_kind: AuditActorKind;
  actor: string | null;
  client: string | null;
  action: string;
  target: string | null;
  outcome: string;
  latency_ms: number | null;
  input_summary: string | null;
  input_hash: string | null;
  prev_hash: string;
  hash: string;
}

function toAuditRow(row: Row): AuditRow {
  return {
    seq: row.seq,
    at: row.at,
    actorKind: row.actor_kind,
    actor: row.actor,
    client: row.client,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    latencyMs: row.latency_ms,
    inputSummary: row.input_summary,
    inputHash: row.input_hash,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Creates the audit log repository over an open store. */
export function createAuditRepo({ store }: { store: Store }): AuditRepo {
  const { db } = store;
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(
    `INSERT INTO audit_log (seq, at, actor_kind, actor, client, action, target, outcome, latency_ms,
       input_summary, input_hash, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const page = db.prepare(
    `SELECT * FROM audit_log WHERE seq > ? AND at >= ? AND at < ? AND substr(action, 1, length(?)) = ?
     ORDER BY seq LIMIT ?`,
  );
  const newest = db.prepare(
    `SELECT * FROM audit_log WHERE seq < ? AND at >= ? AND at < ? AND substr(action, 1, length(?)) = ?
     ORDER BY seq DESC LIMIT ?`,
  );
  const all = db.prepare('SELECT * FROM audit_log ORDER BY seq');
  const bounds = (filters: AuditFilters) => {
    const prefix = filters.actionPrefix ?? '';
    return [
      filters.sinceMs ?? Number.MIN_SAFE_INTEGER,
      filters.untilMs ?? Number.MAX_SAFE_INTEGER,
      prefix,
      prefix,
    ] as const;
  };
  return {
    last: () => last.get() as { seq: number; hash: string } | undefined,
    insert(row) {
      insert.run(
        row.seq,
        row.at,
        row.actorKind,
        row.actor,
        row.client,
        row.action,
        row.target,
        row.outcome,
        row.latencyMs,
        row.inputSummary,
        row.inputHash,
        row.prevHash,
        row.hash,
      );
    },
    page(afterSeq, limit, filters) {
      return (page.all(afterSeq, ...bounds(filters), limit) as Row[]).map(toAuditRow);
    },
    newest(beforeSeq, limit, filters) {
      return (newest.all(beforeSeq, ...bounds(filters), limit) as Row[]).map(toAuditRow);
    },
    *all() {
      for (const row of all.iterate() as IterableIterator<Row>) yield toAuditRow(row);
    },
  };
}
