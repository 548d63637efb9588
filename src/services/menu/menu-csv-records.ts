import type { CellSink } from './menu-csv-cells.js';
import {
  CSV_COLUMNS,
  CSV_COLUMNS_BY_KIND,
  CSV_KINDS,
  type CsvColumn,
  REQUIRED_CSV_COLUMNS,
} from './menu-csv-columns.js';
import { type CsvEntries, readCsvRow } from './menu-csv-rows.js';
import { importViolation, type MenuEntryKind, notOneOfMessage } from './menu-draft.js';

/** Everything reading the rows of a CSV menu file collects. */
export interface CsvReading extends CellSink {
  readonly entries: CsvEntries;
  /** `kind:id` of rows that could not be read. */
  readonly unreadIds: Set<string>;
  readonly currency: string;
}

/** The column of each position of the header; undefined for an empty header cell. */
export function readCsvHeader(
  record: readonly string[],
  sink: CellSink,
): (CsvColumn | undefined)[] | undefined {
  const names = record.map((cell) =>
    cell
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  );
  const fail = (path: string, message: string): void => {
    sink.violations.push(importViolation(path, message));
  };
  if (names.every((name) => name === '')) {
    fail('row 1', `the first row must be the header: ${CSV_COLUMNS.join(',')}`);
    return undefined;
  }
  const seen = new Set<string>();
  names.forEach((name, position) => {
    if (name === '') return;
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      const raw = record[position] ?? name;
      fail(`row 1, column ${raw}`, `${notOneOfMessage(raw, 'column', CSV_COLUMNS)} — or remove it`);
    } else if (seen.has(name)) {
      fail(`row 1, column ${name}`, `the column ${name} appears twice`);
    }
    seen.add(name);
  });
  const missing = REQUIRED_CSV_COLUMNS.filter((column) => !seen.has(column));
  if (missing.length > 0)
    fail('row 1', `the header is missing the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  if (sink.violations.length > 0) return undefined;
  return names.map((name) => (name === '' ? undefined : (name as CsvColumn)));
}

/** Reads one row (spreadsheet row `row`) into `reading`: blank rows are skipped, bad ones reported. */
export function readCsvRecord(
  record: readonly string[],
  row: number,
  header: readonly (CsvColumn | undefined)[],
  reading: CsvReading,
): void {
  if (record.every((cell) => cell.trim() === '')) return;
  const values = new Map<CsvColumn, string>();
  let stray = 0;
  record.forEach((cell, position) => {
    const column = header[position];
    if (column !== undefined) values.set(column, cell.replace(/\r\n/g, '\n'));
    else if (cell.trim() !== '') stray += 1;
  });
  if (stray > 0) {
    const message =
      `the row has ${stray} value${stray > 1 ? 's' : ''} outside the header's columns — ` +
      'is there a comma in a cell that is not inside "quotes"?';
    reading.violations.push(importViolation(`row ${row}`, message));
    // Its cells may have shifted; remember the id so references to it are not reported as well.
    reading.unreadIds.add(
      `${(values.get('kind') ?? '').trim().toLowerCase()}:${(values.get('id') ?? '').trim()}`,
    );
    return;
  }
  const kind = rowKind(values, row, reading);
  if (kind !== undefined)
    readCsvRow(kind, { row, values, currency: reading.currency }, reading.entries, reading);
}

/** The kind of a row; reports a missing or unknown kind and cells the kind does not use. */
function rowKind(
  values: ReadonlyMap<CsvColumn, string>,
  row: number,
  sink: CellSink,
): MenuEntryKind | undefined {
  const text = (values.get('kind') ?? '').trim();
  const kind = CSV_KINDS.find((candidate) => candidate === text.toLowerCase());
  if (kind === undefined) {
    const message =
      text === ''
        ? `every row needs a kind: ${CSV_KINDS.join(', ')}`
        : notOneOfMessage(text, 'kind', CSV_KINDS);
    sink.violations.push(importViolation(`row ${row}, column kind`, message));
    return undefined;
  }
  const used = CSV_COLUMNS_BY_KIND[kind];
  for (const [column, value] of values) {
    if (value.trim() === '' || used.includes(column)) continue;
    const message = `${column} is not used on ${kind} rows — leave it empty`;
    sink.violations.push(importViolation(`row ${row}, column ${column}`, message));
  }
  return kind;
}
