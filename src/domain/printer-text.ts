import { AppError } from './app-error.js';

/** How much of one field a ticket shows. */
export interface PrinterTextLimits {
  /** Characters per printed line. */
  readonly width: number;
  /** Lines at most; longer text ends with "..." on the last one. */
  readonly maxLines: number;
  /** Characters of the field kept before wrapping; longer text ends with "...". */
  readonly maxChars?: number;
  /**
   * Maps cleaned text onto what the printer can print (its code page), before it is measured and wrapped,
   * so widths count the characters that will really be printed. Identity when omitted.
   */
  readonly fold?: (text: string) => string;
}

/** The marker of cut text; ASCII, so every printer and code page has it. */
export const CUT_MARK = '...';

/** Longest QR payload: some printers cap QR data near 255 bytes (EscPosEncoder #6). */
export const MAX_QR_BYTES = 254;

// Format characters (\p{Cf}) include every bidi control (U+061C, U+200E/F, U+202A–202E, U+2066–2069)
// and the zero-width ones (U+200B–200D, U+2060, U+FEFF), plus the soft hyphen and tag characters.
const FORMAT = /\p{Cf}/gu;
// Controls (C0, DEL, C1), lone surrogates, private use and unassigned code points: nothing a kitchen reads.
const INVISIBLE = /[\p{Cc}\p{Cs}\p{Co}\p{Cn}]/gu;
const WHITESPACE = /\s+/gu;

/**
 * Customer or menu text made safe for a printer (DESIGN.md, rules): NFKC, no format characters (bidi,
 * zero-width), whitespace — tabs and line breaks included — collapsed to single spaces, no control
 * characters, trimmed. What is left can carry no printer command: ESC, GS, DLE and FS are all C0.
 */
export function cleanPrinterText(value: string): string {
  return value
    .normalize('NFKC')
    .replace(FORMAT, '')
    .replace(WHITESPACE, ' ')
    .replace(INVISIBLE, '')
    .normalize('NFKC')
    .trim();
}

/** The first `limit` characters of `text`, the last ones replaced by CUT_MARK when it is cut. */
function cutTo(text: string, limit: number): string {
  const points = [...text];
  if (points.length <= limit) return text;
  if (limit <= CUT_MARK.length) return points.slice(0, Math.max(0, limit)).join('');
  return `${points.slice(0, limit - CUT_MARK.length).join('')}${CUT_MARK}`;
}

/** Greedy word wrap; a word longer than the line is split. Lines carry no leading or trailing space. */
export function wrapText(text: string, width: number): string[] {
  if (width < 1)
    throw new AppError('internal', `A printed line must be at least 1 character wide (${width}).`);
  const lines: string[] = [];
  let line: string[] = [];
  for (const word of text.split(' ').filter((w) => w !== '')) {
    let rest = [...word];
    if (line.length > 0 && line.length + 1 + rest.length <= width) {
      line.push(' ', ...rest);
      continue;
    }
    if (line.length > 0) lines.push(line.join(''));
    while (rest.length > width) {
      lines.push(rest.slice(0, width).join(''));
      rest = rest.slice(width);
    }
    line = rest;
  }
  if (line.length > 0) lines.push(line.join(''));
  return lines;
}

/** Cleans, folds, caps and wraps one field: the only way customer or menu text reaches a ticket. */
export function printerLines(value: string, limits: PrinterTextLimits): string[] {
  const folded = limits.fold === undefined ? cleanPrinterText(value) : limits.fold(cleanPrinterText(value));
  // Folding may map a character to nothing or to spaces; clean again so widths and words stay exact.
  const text = cleanPrinterText(folded);
  const capped = limits.maxChars === undefined ? text : cutTo(text, limits.maxChars);
  const lines = wrapText(capped, limits.width);
  if (lines.length <= limits.maxLines) return lines;
  const kept = lines.slice(0, Math.max(1, limits.maxLines));
  const last = kept.length - 1;
  // The last kept line is marked as cut, even when it had room: the rest of the field is missing.
  const chars = [...(kept[last] ?? '')];
  const room = limits.width - CUT_MARK.length;
  kept[last] =
    room <= 0
      ? chars.slice(0, limits.width).join('')
      : `${chars.slice(0, room).join('').trimEnd()}${CUT_MARK}`;
  return kept;
}

/** One line of text at most `width` wide: `printerLines` with a single line. */
export function printerLine(value: string, limits: Omit<PrinterTextLimits, 'maxLines'>): string {
  return printerLines(value, { ...limits, maxLines: 1 })[0] ?? '';
}

/**
 * Checks a QR payload: only a server-built URL of printable ASCII, shorter than MAX_QR_BYTES, goes into
 * a QR command (node-thermal-printer counts `str.length` but sends UTF-8, so anything else would
 * desynchronise the printer). Returns the payload.
 */
export function assertQrPayload(url: string): string {
  if (!/^[\x21-\x7e]+$/.test(url) || url.length > MAX_QR_BYTES || !/^https?:\/\//.test(url)) {
    throw new AppError(
      'internal',
      `A QR code on a ticket holds only an http(s) URL of printable ASCII up to ${MAX_QR_BYTES} bytes.`,
    );
  }
  return url;
}
