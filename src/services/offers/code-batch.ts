import { randomInt } from 'node:crypto';

/** Letters and digits no one mixes up when reading a flyer aloud: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, G/6. */
export const CODE_ALPHABET = 'ACDEFHJKMNPRTUVWXY34679';

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
    let random = '';
    for (let i = 0; i < RANDOM_LENGTH; i += 1) random += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    const code = prefix === '' ? random : `${prefix}-${random}`;
    if (!made.has(code) && !taken(code)) made.add(code);
  }
  return [...made];
}

/** A batch as CSV: a header, then one code per line (no quoting needed: the alphabet has no comma). */
export function codesCsv(codes: readonly string[]): string {
  return `code\r\n${codes.map((code) => `${code}\r\n`).join('')}`;
}
