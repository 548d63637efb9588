import { hash } from 'node:crypto';
import type { AuditRow } from '../../store/audit-repo.js';

/** The prev_hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** What verify found: the whole chain intact, or the first row where it breaks and why. */
export type AuditVerification =
  | { readonly ok: true; readonly rows: number; readonly lastHash: string }
  | { readonly ok: false; readonly rows: number; readonly seq: number; readonly reason: string };

/**
 * SHA-256 over the previous row's hash, a line feed, and this row's fields as canonical JSON under
 * their column names (src/services/idempotency.ts `canonicalJson`: keys sorted, absent values null),
 * seq included: a changed field, a removed row or two swapped rows all break the chain. The JSON is
 * written out in sorted key order by hand: this runs on every tool call.
 */
export function auditRowHash(row: Omit<AuditRow, 'hash'>): string {
  const json = (value: string | number | null) => JSON.stringify(value);
  const fields =
    `{"action":${json(row.action)},"actor":${json(row.actor)},"actor_kind":${json(row.actorKind)},` +
    `"at":${json(row.at)},"client":${json(row.client)},"input_hash":${json(row.inputHash)},` +
    `"input_summary":${json(row.inputSummary)},"latency_ms":${json(row.latencyMs)},` +
    `"outcome":${json(row.outcome)},"seq":${json(row.seq)},"target":${json(row.target)}}`;
  return hash('sha256', `${row.prevHash}\n${fields}`);
}

/** Walks the rows in seq order and recomputes every link; stops at the first broken one. */
export function verifyChain(rows: Iterable<AuditRow>): AuditVerification {
  let count = 0;
  let prevSeq = 0;
  let prevHash = GENESIS_HASH;
  for (const row of rows) {
    const broken = (reason: string): AuditVerification => ({ ok: false, rows: count, seq: row.seq, reason });
    if (row.seq !== prevSeq + 1) {
      return broken(
        prevSeq === 0
          ? `the log starts at row ${row.seq}: rows 1 to ${row.seq - 1} were removed`
          : `row ${row.seq} follows row ${prevSeq}: rows in between were removed`,
      );
    }
    if (row.prevHash !== prevHash) {
      return broken(
        prevSeq === 0
          ? 'its prev_hash is not the genesis hash: the first rows were replaced'
          : `its prev_hash is not the hash of row ${prevSeq}: a row was changed, removed or reordered`,
      );
    }
    if (auditRowHash(row) !== row.hash) {
      return broken('its fields do not match its hash: the row was changed');
    }
    count += 1;
    prevSeq = row.seq;
    prevHash = row.hash;
  }
  return { ok: true, rows: count, lastHash: prevHash };
}
