import { AUDIT_COLUMNS, type AuditRow, auditRowValues } from '../../store/audit-repo.js';

/** The export's columns, in order: every stored field, so the chain can be recomputed from the file. */
export const AUDIT_CSV_HEADER = AUDIT_COLUMNS.map(([column]) => column);

/**
 * One CSV field (RFC 4180 §2): quoted when it holds a quote, comma or line break, quotes doubled.
 * Text starting with = + - @ (or a tab or CR) would run as a formula in a spreadsheet (OWASP CSV
 * injection): it gets a leading apostrophe. Numbers are written as they are.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A CSV record with its CRLF line break (RFC 4180 §2.1). */
export function csvRecord(fields: readonly (string | number | null)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** One audit row as a CSV record; `at` as an ISO 8601 instant (milliseconds kept). */
export function auditCsvRecord(row: AuditRow): string {
  return csvRecord(auditRowValues(row).with(1, new Date(row.at).toISOString()));
}
