import { CsvError, parse } from 'csv-parse/sync';
import type { Violation } from '../../domain/app-error.js';
import type { Menu, MenuItem } from '../../domain/catalog.js';
import { toDecimalString } from '../../domain/money.js';
import { CSV_COLUMN_OF_FIELD, CSV_COLUMNS, type CsvColumn } from './menu-csv-columns.js';
import { type CsvReading, readCsvHeader, readCsvRecord } from './menu-csv-records.js';
import { assembleCsvMenu, emptyCsvEntries } from './menu-csv-rows.js';
import { importViolation, type MenuDraft, type MenuEntryRef } from './menu-draft.js';

// The column list and what each column means are in menu-csv-columns.ts.

/** Reads a CSV menu file (BOM, CRLF, quoted cells with commas and line breaks, blank rows are fine). */
export function parseMenuCsv(text: string, currency: string): MenuDraft {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, relax_quotes: true });
  } catch (error) {
    return emptyDraft([csvSyntaxViolation(error)]);
  }
  const reading: CsvReading = {
    violations: [],
    broken: new Set(),
    unreadIds: new Set(),
    entries: emptyCsvEntries(),
    currency,
  };
  const header = readCsvHeader(records[0] ?? [], reading);
  if (header === undefined) return emptyDraft(reading.violations);
  records.forEach((record, index) => {
    if (index > 0) readCsvRecord(record, index + 1, header, reading);
  });
  if (reading.entries.items.length === 0)
    reading.violations.push(importViolation('file', 'the file has no item rows'));
  const { menu, rows } = assembleCsvMenu(reading.entries, reading);
  const rowOf = (ref: MenuEntryRef): number =>
    (ref.kind === 'option' ? rows.option[ref.group]?.[ref.index] : rows[ref.kind][ref.index]) ?? 0;
  const columnOf = (field: string): string => CSV_COLUMN_OF_FIELD[field] ?? field;
  return {
    menu,
    violations: reading.violations,
    unreadIds: reading.unreadIds,
    locate: (ref, field) => `row ${rowOf(ref)}, column ${columnOf(field)}`,
    isBroken: (ref, field) => reading.broken.has(`${rowOf(ref)}:${columnOf(field)}`),
  };
}

/** Problems in the order a person reads the sheet: by row, then by column; file-wide ones first. */
export function sortCsvViolations(violations: readonly Violation[]): Violation[] {
  const position = (violation: Violation): number => {
    const match = /^row (\d+)(?:, column (.+))?$/.exec(violation.path ?? '');
    const column = (CSV_COLUMNS as readonly string[]).indexOf(match?.[2] ?? '');
    return Number(match?.[1] ?? 0) * 100 + column + 1;
  };
  return [...violations].sort((a, b) => position(a) - position(b));
}

function emptyDraft(violations: MenuDraft['violations']): MenuDraft {
  const menu: Menu = { dayparts: [], categories: [], modifierGroups: [], items: [] };
  return { menu, violations, locate: () => 'file', isBroken: () => false, unreadIds: new Set() };
}

function csvSyntaxViolation(error: unknown): Violation {
  if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') {
    const message =
      'a cell opens a quote (") that is never closed, so the rest of the file became one cell — ' +
      'close the quote or remove it';
    return importViolation('file', message);
  }
  const lines = error instanceof CsvError ? (error as CsvError & { lines?: number }).lines : undefined;
  const reason = error instanceof Error ? error.message : String(error);
  return importViolation(
    lines === undefined ? 'file' : `line ${lines}`,
    `the file is not valid CSV: ${reason}`,
  );
}

/** Writes the menu as a CSV menu file that `parseMenuCsv` reads back to the same menu (UTF-8 BOM, CRLF). */
export function menuToCsv(menu: Menu, currency: string): string {
  const price = (amount: number): string => toDecimalString(amount, currency);
  const yesNo = (value: boolean): string => (value ? 'yes' : 'no');
  const lines = [CSV_COLUMNS.join(',')];
  const add = (cells: Partial<Record<CsvColumn, string | number | undefined>>): void => {
    lines.push(CSV_COLUMNS.map((column) => csvCell(String(cells[column] ?? ''))).join(','));
  };
  for (const { id, name, days, start, end } of menu.dayparts) {
    add({ kind: 'daypart', id, name, days: days.join('|'), start, end });
  }
  for (const { id, name, description, sort, daypartId, taxRateId } of menu.categories) {
    add({ kind: 'category', id, name, description, sort, daypart: daypartId, tax_rate: taxRateId });
  }
  for (const { id, name, sort, selection, min, max, options } of menu.modifierGroups) {
    add({ kind: 'group', id, name, sort, selection, min, max });
    for (const o of options) {
      const flags = { sold_out: yesNo(o.soldOut), default: yesNo(o.isDefault) };
      add({
        kind: 'option',
        id: o.id,
        parent: id,
        name: o.name,
        price: price(o.price),
        sort: o.sort,
        ...flags,
      });
    }
  }
  for (const item of menu.items) add(itemCells(item, price, yesNo));
  // The BOM makes Excel read the file as UTF-8 ("Jalapeños"); CRLF is what RFC 4180 asks for.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function itemCells(
  item: MenuItem,
  price: (amount: number) => string,
  yesNo: (value: boolean) => string,
): Partial<Record<CsvColumn, string | number | undefined>> {
  return {
    kind: 'item',
    id: item.id,
    parent: item.categoryId,
    name: item.name,
    description: item.description,
    price: price(item.price),
    sort: item.sort,
    sold_out: yesNo(item.soldOut),
    dietary: item.dietary.join('|'),
    allergens: item.allergens.join('|'),
    groups: item.modifierGroupIds.join('|'),
    daypart: item.daypartId,
    image_url: item.imageUrl,
    max_quantity: item.maxQuantity,
  };
}

function csvCell(value: string): string {
  if (!/[",\r\n]/.test(value) && value === value.trim()) return value;
  return `"${value.replace(/"/g, '""')}"`;
}
