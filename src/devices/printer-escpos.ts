import { CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { assertQrPayload } from '../domain/printer-text.js';
import { toPrinterCharset } from './printer-charset.js';

/** How a run of lines looks. Size 2 is double width and height, so a line holds half the characters. */
export interface PrintStyle {
  readonly align?: 'left' | 'center';
  readonly bold?: boolean;
  readonly invert?: boolean;
  readonly size?: 1 | 2;
}

/** One part of a ticket, in the printer's terms. Text is already wrapped to the paper's width. */
export type PrintBlock =
  | { readonly kind: 'lines'; readonly lines: readonly string[]; readonly style?: PrintStyle }
  /** One row: `left`, then `right` flush with the right edge. */
  | { readonly kind: 'row'; readonly left: string; readonly right: string; readonly style?: PrintStyle }
  | { readonly kind: 'rule' }
  | { readonly kind: 'blank' }
  /** A native QR code of a server-built ASCII URL. */
  | { readonly kind: 'qr'; readonly url: string };

/** A ticket or receipt before encoding; it always ends with one cut. */
export interface PrintDocument {
  readonly blocks: readonly PrintBlock[];
}

/** Characters per line of font A: 58 mm paper prints 32, 80 mm paper 48. */
export function paperColumns(paperWidthMm: 58 | 80): number {
  return paperWidthMm === 58 ? 32 : 48;
}

/** ESC @, initialize: every mode back to its default (the typings leave out `initHardware`). */
const INIT = Buffer.from([0x1b, 0x40]);

// C0, DEL and C1: a command can only start with one of these, so no text line may carry them.
const COMMAND_BYTES = /\p{Cc}/gu;

/** The last line of defence: whatever a caller passes, a text line prints as text and fits. */
function printable(text: string, width: number): string {
  const safe = toPrinterCharset(text.replace(COMMAND_BYTES, ''));
  return [...safe].slice(0, width).join('');
}

function applyStyle(printer: ThermalPrinter, style: PrintStyle | undefined, on: boolean): void {
  if (style === undefined) return;
  if (style.align === 'center') (on ? printer.alignCenter : printer.alignLeft).call(printer);
  if (style.size === 2) printer.setTextSize(on ? 1 : 0, on ? 1 : 0);
  if (style.bold === true) printer.bold(on);
  if (style.invert === true) printer.invert(on);
}

function centered(text: string, width: number): string {
  return `${' '.repeat(Math.max(0, Math.floor((width - text.length) / 2)))}${text}`.trimEnd();
}

function writeLines(printer: ThermalPrinter, block: Extract<PrintBlock, { kind: 'lines' }>, columns: number) {
  const width = block.style?.size === 2 ? Math.floor(columns / 2) : columns;
  applyStyle(printer, block.style, true);
  const text = block.lines.map((line) => {
    const safe = printable(line, width);
    printer.append(safe);
    printer.newLine();
    return block.style?.align === 'center' ? centered(safe, columns) : safe;
  });
  applyStyle(printer, block.style, false);
  return text;
}

function writeRow(printer: ThermalPrinter, block: Extract<PrintBlock, { kind: 'row' }>, columns: number) {
  const right = printable(block.right, columns);
  const left = printable(block.left, Math.max(0, columns - right.length - 1));
  const row = `${left}${' '.repeat(columns - left.length - right.length)}${right}`;
  applyStyle(printer, block.style, true);
  printer.append(row);
  printer.newLine();
  applyStyle(printer, block.style, false);
  return [row];
}

/** Appends one block's commands and returns its lines as the plain-text rendering shows them. */
function writeBlock(printer: ThermalPrinter, block: PrintBlock, columns: number): string[] {
  switch (block.kind) {
    case 'lines':
      return writeLines(printer, block, columns);
    case 'row':
      return writeRow(printer, block, columns);
    case 'rule':
      printer.append('-'.repeat(columns));
      printer.newLine();
      return ['-'.repeat(columns)];
    case 'blank':
      printer.newLine();
      return [''];
    case 'qr':
      printer.alignCenter();
      printer.printQR(assertQrPayload(block.url), { cellSize: columns >= 48 ? 6 : 5, correction: 'M' });
      printer.alignLeft();
      return [centered(`[QR ${block.url}]`, columns)];
  }
}

/**
 * Encodes a document as ESC/POS for an Epson-compatible printer with node-thermal-printer, used as a
 * buffer builder only (no interface: it never opens a connection; the printer port sends). Text goes
 * out in code page 858 (€, £, accented Latin); anything else was transliterated before. Returns the
 * bytes and a plain-text rendering of the same ticket.
 */
export function encodeEscPos(document: PrintDocument, columns: number): { bytes: Buffer; text: string } {
  const printer = new ThermalPrinter({ type: PrinterTypes.EPSON, interface: '', width: columns });
  // ESC @ first: a ticket cut short before (a dropped connection) may have left bold or double size on.
  printer.append(INIT);
  printer.setCharacterSet(CharacterSet.PC858_EURO);
  const text = document.blocks.flatMap((block) => writeBlock(printer, block, columns));
  printer.cut();
  text.push(`${'- '.repeat(columns / 2 - 3)}cut`);
  return { bytes: printer.getBuffer(), text: `${text.join('\n')}\n` };
}
