import type { Violation } from '../../domain/app-error.js';
import { minorDigits, parseDecimalString } from '../../domain/money.js';
import type { CsvColumn } from './menu-csv-columns.js';
import { importViolation, notOneOfMessage } from './menu-draft.js';

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0', '']);

/** Where the cells of one CSV row end up: the problems found and the cells that could not be read. */
export interface CellSink {
  readonly violations: Violation[];
  /** `row:column` of every cell whose problem was already reported. */
  readonly broken: Set<string>;
}

/** Reads and converts the cells of one CSV row, reporting each bad cell by row and column. */
export interface CellReader {
  /** The spreadsheet row number (the header is row 1). */
  readonly row: number;
  /** The trimmed text of a cell; empty when the column is not in the file. */
  text(column: CsvColumn): string;
  /** The text of a cell that must not be empty; reports `problem` when it is. */
  required(column: CsvColumn, problem: string): string;
  /** A price in minor units; an empty cell gives `blank`, or is reported when `blank` is undefined. */
  price(column: CsvColumn, blank: number | undefined): number;
  /** A whole number, or undefined when the cell is empty or not a number (then reported). */
  integer(column: CsvColumn): number | undefined;
  yesNo(column: CsvColumn): boolean;
  /** The "|"-separated values of a cell, each checked against `allowed` when given. */
  list<T extends string>(column: CsvColumn, allowed?: readonly T[], what?: string): T[];
  /** One of `allowed` (any letter case); undefined when the cell is empty or holds something else (reported). */
  choice<T extends string>(column: CsvColumn, allowed: readonly T[], what: string): T | undefined;
  /** A time, "6:00" and "06:00:00" written as "06:00"; the rules check the rest. */
  time(column: CsvColumn): string;
}

/** The plain cell operations the typed readers build on. */
interface Cells {
  readonly currency: string;
  text(column: CsvColumn): string;
  required(column: CsvColumn, problem: string): string;
  fail(column: CsvColumn, message: string): void;
}

/** A reader over `cells` (column → raw text) of spreadsheet row `row`, reporting into `sink`. */
export function createCellReader(
  row: number,
  cells: ReadonlyMap<CsvColumn, string>,
  currency: string,
  sink: CellSink,
): CellReader {
  const base: Cells = {
    currency,
    text: (column) => (cells.get(column) ?? '').trim(),
    required(column, problem) {
      const value = base.text(column);
      if (value === '') base.fail(column, problem);
      return value;
    },
    fail(column, message) {
      sink.violations.push(importViolation(`row ${row}, column ${column}`, message));
      sink.broken.add(`${row}:${column}`);
    },
  };
  return {
    row,
    text: base.text,
    required: base.required,
    price: (column, blank) => readPrice(base, column, blank),
    integer: (column) => readInteger(base, column),
    yesNo: (column) => readYesNo(base, column),
    list: (column, allowed, what) => readList(base, column, allowed, what),
    choice: (column, allowed, what) => readChoice(base, column, allowed, what),
    time: (column) => readTime(base, column),
  };
}

function readPrice(cells: Cells, column: CsvColumn, blank: number | undefined): number {
  const value = blank === undefined ? cells.required(column, 'a price is needed here') : cells.text(column);
  if (value === '') return blank ?? 0;
  const minor = parseDecimalString(value, cells.currency);
  if (minor !== undefined) return minor;
  cells.fail(column, priceMessage(value, cells.currency));
  return 0;
}

function readInteger(cells: Cells, column: CsvColumn): number | undefined {
  const value = cells.text(column);
  if (value === '') return undefined;
  if (/^-?\d{1,9}$/.test(value)) return Number(value);
  cells.fail(column, `'${value}' is not a whole number — write it like 2`);
  return undefined;
}

function readYesNo(cells: Cells, column: CsvColumn): boolean {
  const value = cells.text(column).toLowerCase();
  if (YES.has(value)) return true;
  if (!NO.has(value)) cells.fail(column, `'${cells.text(column)}' is not yes or no`);
  return false;
}

function readList<T extends string>(
  cells: Cells,
  column: CsvColumn,
  allowed?: readonly T[],
  what = 'value',
): T[] {
  const values = cells
    .text(column)
    .split('|')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (allowed === undefined) return values as T[];
  const known = (value: string): value is T => (allowed as readonly string[]).includes(value);
  const lower = values.map((value) => value.toLowerCase());
  for (const value of lower.filter((candidate) => !known(candidate))) {
    const hint = value.includes(',') ? ' (separate several with |)' : '';
    cells.fail(column, `${notOneOfMessage(value, what, allowed)}${hint}`);
  }
  return lower.filter(known);
}

function readChoice<T extends string>(
  cells: Cells,
  column: CsvColumn,
  allowed: readonly T[],
  what: string,
): T | undefined {
  const value = cells.required(column, `write ${allowed.join(' or ')} here`);
  const match = allowed.find((candidate) => candidate === value.toLowerCase());
  if (match === undefined && value !== '') cells.fail(column, notOneOfMessage(value, what, allowed));
  return match;
}

function readTime(cells: Cells, column: CsvColumn): string {
  const value = cells.required(column, 'a time is needed here, like 06:00');
  const match = /^(\d{1,2}):(\d{2})(?::00)?$/.exec(value);
  return match === null ? value : `${(match[1] ?? '').padStart(2, '0')}:${match[2] ?? ''}`;
}

/** "'8,5O' is not a price — write it like 8.50", with the currency's own decimals. */
export function priceMessage(value: string, currency: string): string {
  const digits = minorDigits(currency);
  const example = digits === 0 ? '1200' : `8.${'5'.padEnd(digits, '0')}`;
  if (/^-?\d+\.\d+$/.test(value)) {
    return digits === 0
      ? `'${value}' has decimals, but ${currency} prices are whole numbers — write it like ${example}`
      : `'${value}' has too many decimals for ${currency} — write it like ${example}`;
  }
  return `'${value}' is not a price — write it like ${example}`;
}
