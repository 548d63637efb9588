import { readableCode } from '../../platform/ids.js';

/** Random characters per code: 23^8 ≈ 7.8·10^10 codes, so guessing one of a thousand is hopeless. */
const RANDOM_LENGTH = 8;

/** A prefix the owner may give a batch: letters and digits, up to 12, read upper-case. */
export const PREFIX_PATTERN = /^[A-Z0-9]{0,12}$/;

/**
 * `count` new single-use codes, `PREFIX-XXXXXXXX`, drawn from the system's CSPRNG; a code for which
 * `taken` answers true (it exists already, or was drawn twice) is drawn again.
 */
export function generateCodes(count: number, prefix: string, taken: (code: string) => boolean): string[] {
  const made = new Set<string>();
  while (made.size < count) {
    const random = readableCode(RANDOM_LENGTH);
    const code = prefix === '' ? random : `${prefix}-${random}`;
    if (!made.has(code) && !taken(code)) made.add(code);
  }
  return [...made];
}

/** A batch as CSV: a header, then one code per line (no quoting needed: the alphabet has no comma). */
export function codesCsv(codes: readonly string[]): string {
  return `code\r\n${codes.map((code) => `${code}\r\n`).join('')}`;
}
