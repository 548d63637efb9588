import { randomBytes } from 'node:crypto';

/** Where ids come from; tests pass a sequence. */
export interface Ids {
  /** A new opaque id with a readable prefix: `ord_3kq7x2m9c4v8b1n5`. */
  next(prefix: string): string;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Random ids: 16 characters of Crockford-style base32, 80 bits. */
export const randomIds: Ids = {
  next(prefix) {
    const bytes = randomBytes(16);
    let out = '';
    for (const byte of bytes) out += ALPHABET[byte & 31];
    return `${prefix}_${out}`;
  },
};

/** Predictable ids for tests: `ord_1`, `ord_2`, … */
export function createSequentialIds(): Ids {
  let n = 0;
  return {
    next(prefix) {
      n += 1;
      return `${prefix}_${n}`;
    },
  };
}
