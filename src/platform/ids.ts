import { randomBytes, randomInt } from 'node:crypto';

/** Where ids come from; tests pass a sequence. */
export interface Ids {
  /** A new opaque id with a readable prefix: `ord_3kq7x2m9c4v8b1n5`. */
  next(prefix: string): string;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

// Random bytes are drawn 4 KB at a time: one system call serves 256 ids.
const POOL_BYTES = 4096;
let pool = randomBytes(POOL_BYTES);
let offset = 0;

/** Random ids: 16 characters of Crockford-style base32, 80 bits. */
export const randomIds: Ids = {
  next(prefix) {
    if (offset + 16 > POOL_BYTES) {
      pool = randomBytes(POOL_BYTES);
      offset = 0;
    }
    let out = '';
    for (let i = offset; i < offset + 16; i += 1) out += ALPHABET[(pool[i] ?? 0) & 31];
    offset += 16;
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

/** Letters and digits no one mixes up reading them aloud or off a screen: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, G/6. */
export const READABLE_ALPHABET = 'ACDEFHJKMNPRTUVWXY34679';

/** `length` characters of READABLE_ALPHABET from the system's CSPRNG: a code a person reads and types. */
export function readableCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i += 1) code += READABLE_ALPHABET[randomInt(READABLE_ALPHABET.length)];
  return code;
}
