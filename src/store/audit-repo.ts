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

/**
 * The stored columns in table order, each with the AuditRow field it holds: the insert, the reads and
 * the CSV export (src/services/audit/audit-csv.ts) all follow this one list.
 */
export const AUDIT_COLUMNS = [
  ['seq', 'seq'],
  ['at', 'at'],
  ['actor_kind', 'actorKind'],
  ['actor', 'actor'],
  ['client', 'client'],
  ['action', 'action'],
  ['target', 'target'],
  ['outcome', 'outcome'],
  ['latency_ms', 'latencyMs'],
  ['input_summary', 'inputSummary'],
  ['input_hash', 'inputHash'],
  ['prev_hash', 'prevHash'],
  ['hash', 'hash'],
] as const satisfies readonly (readonly [string, keyof AuditRow])[];

/** A row's values in column order. */
export function auditRowValues(row: AuditRow): (string | number | null)[] {
  return AUDIT_COLUMNS.map(([, field]) => row[field]);
}

/** A stored row (snake_case columns) as an AuditRow. */
function toAuditRow(row: Record<string, unknown>): AuditRow {
  return Object.fromEntries(
    AUDIT_COLUMNS.map(([column, field]) => [field, row[column]]),
  ) as unknown as AuditRow;
}

/** Creates the audit log repository over an open store. */
export function createAuditRepo({ store }: { store: Store }): AuditRepo {
  const { db } = store;
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(
    `INSERT INTO audit_log (${AUDIT_COLUMNS.map(([column]) => column).join(', ')})
     VALUES (${AUDIT_COLUMNS.map(() => '?').join(', ')})`,
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
      insert.run(auditRowValues(row));
    },
    page(afterSeq, limit, filters) {
      return (page.all(afterSeq, ...bounds(filters), limit) as Record<string, unknown>[]).map(toAuditRow);
    },
    newest(beforeSeq, limit, filters) {
      return (newest.all(beforeSeq, ...bounds(filters), limit) as Record<string, unknown>[]).map(toAuditRow);
    },
    *all() {
      for (const row of all.iterate() as IterableIterator<Record<string, unknown>>) yield toAuditRow(row);
    },
  };
}
