import { randomBytes, randomInt } from 'node:crypto';

/** Where ids come from; tests pass a sequence. */
export interface Ids {
  /** A new opaque id with a readable prefix: `ord_1nx4q7c3kq7x2m9c4v8b1n5`. */
  next(prefix: string): string;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARACTERS = 7; // 35 bits of seconds: ids sort by time until the year 3058
const RANDOM_CHARACTERS = 16; // 80 bits

// Random bytes are drawn 4 KB at a time: one system call serves 256 ids.
const POOL_BYTES = 4096;

/**
 * Ids that sort by the second they were made in: 7 characters of the time, then 16 random ones (80 bits,
 * as unguessable as before the time was put in front), in Crockford-style base32, whose characters sort
 * as their values. Every index on an id (orders, checkout sessions, guest customers, vault tokens)
 * then takes a new entry beside the last one: a commit rewrites the page it wrote last
 * time instead of adding one more anywhere in the file, the pages fill instead of splitting half-empty,
 * and a checkpoint copies a few pages at the index's end instead of one page per order scattered over
 * the card. The time only orders the ids; nothing reads it back.
 */
export function createTimeOrderedIds(nowMs: () => number = Date.now): Ids {
  let pool = randomBytes(POOL_BYTES);
  let offset = 0;
  return {
    next(prefix) {
      let time = '';
      for (let seconds = Math.floor(nowMs() / 1000), i = 0; i < TIME_CHARACTERS; i += 1) {
        time = ALPHABET[seconds % 32] + time;
        seconds = Math.floor(seconds / 32);
      }
      if (offset + RANDOM_CHARACTERS > POOL_BYTES) {
        pool = randomBytes(POOL_BYTES);
        offset = 0;
      }
      let random = '';
      for (let i = offset; i < offset + RANDOM_CHARACTERS; i += 1) random += ALPHABET[(pool[i] ?? 0) & 31];
      offset += RANDOM_CHARACTERS;
      return `${prefix}_${time}${random}`;
    },
  };
}

/** The ids counterpi makes, by the system's clock. */
export const timeOrderedIds: Ids = createTimeOrderedIds();

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

/** Draws of one length that may all be taken before a code grows by a character. */
const DRAWS_PER_LENGTH = 20;

/**
 * A readable code that `taken` does not know yet: `length` characters while free ones are easy to
 * find, one more each time twenty draws in a row are taken. Order codes stay unique for good, and the
 * 279,841 codes of four characters run out after a few years of a busy shop (abandoned carts take
 * theirs too): the codes then grow longer instead of the search never ending.
 */
export function unusedReadableCode(length: number, taken: (code: string) => boolean): string {
  for (let size = length; ; size += 1) {
    for (let draw = 0; draw < DRAWS_PER_LENGTH; draw += 1) {
      const code = readableCode(size);
      if (!taken(code)) return code;
    }
  }
}
