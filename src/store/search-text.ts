/**
 * The one tokenizer of menu search. The index and the query both pass through it, so a word typed by a
 * customer and a word written by the owner meet in the same form: NFKC, lower case, diacritics folded,
 * punctuation gone, stopwords dropped, "gluten free" joined into "glutenfree".
 */

/** Longest word worth indexing or searching; anything longer is noise (a pasted hash, a 10 KB string). */
export const MAX_WORD_LENGTH = 32;

// Words that carry no menu meaning, including the quantity and politeness words an assistant passes
// through ("two cheeseburgers please"). Never a food word: "hot", "extra", "large", "free" stay.
const STOPWORDS = new Set(
  `a an the some any of and or with for to in on at by from as is are be am was it its this that these those
  i me my we us our you your he she they them im id ill ive pls plz please thanks thank thx hi hello hey ok okay
  want wanted would like get give got have has had can could may might will shall should do does did need
  needs order ordering buy just also too plus only more less much many lot lots few several couple pair dozen
  half each per x pcs one two three four five six seven eight nine ten eleven twelve another other else
  something anything everything stuff thing things what which who how where when show find search looking
  look menu item items yes no not without minus hold`.split(/\s+/),
);

// "no X" / "without X": the customer does not want X, so X must not become a search word, except a free-from
// word, which turns into "Xfree" ("no nuts" → "nutfree").
const NEGATIONS = new Set(['no', 'not', 'without', 'minus', 'hold']);

// Words that form a free-from claim with a following "free" ("gluten-free", "dairy free").
const FREE_FROM = new Set(
  `gluten wheat dairy milk lactose egg nut peanut soy sesame fish shellfish crustacean mollusc celery mustard
  sulphite sulfite lupin sugar meat alcohol caffeine fat grain corn`.split(/\s+/),
);

const QUANTITY = /^(?:\d+(?:x|st|nd|rd|th|pcs|pc)?|x\d+)$/;
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  // Greek final sigma: "ΓΥΡΟΣ" lower-cases to "γυρος", typed it is often "γυροσ"; SQLite's unicode61 folds it too.
  ς: 'σ',
};

/** Lower-cased, diacritic-free words of `text`, punctuation and apostrophes removed ("Jalapeño's" → ["jalapenos"]). */
export function splitWords(text: string): string[] {
  const folded = text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[ßæœøłđðþıς]/g, (letter) => SPECIAL_LETTERS[letter] ?? letter)
    .replace(/['’`´]/g, '');
  return folded.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);
}

/** The singular a free-from word is stored under ("nuts" → "nut"). */
function freeFromStem(word: string): string | undefined {
  if (FREE_FROM.has(word)) return word;
  const singular = word.endsWith('s') ? word.slice(0, -1) : word;
  return FREE_FROM.has(singular) ? singular : undefined;
}

/** Joins "X free" into "Xfree" for free-from words X; leaves every other word as it is. */
function joinFreeFrom(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    const previous = out.at(-1);
    const stem = previous === undefined ? undefined : freeFromStem(previous);
    if (word === 'free' && stem !== undefined) out[out.length - 1] = `${stem}free`;
    else out.push(word);
  }
  return out;
}

function isNoise(word: string): boolean {
  return STOPWORDS.has(word) || QUANTITY.test(word) || word.length > MAX_WORD_LENGTH;
}

/** The words of owner text (names, descriptions, tags) as they go into the index. */
export function indexWords(text: string): string[] {
  return joinFreeFrom(splitWords(text)).filter((word) => !isNoise(word));
}

/** What a customer's text reduces to. */
export interface QueryWords {
  /** The words to search, in order. */
  readonly words: readonly string[];
  /** True when the text held a word too long to be one (a pasted blob), so "only stopwords" is not the case. */
  readonly hadJunk: boolean;
  /** True when the text held no word at all ("!!!"). */
  readonly empty: boolean;
}

/** The words of customer text: like `indexWords`, and "no X" / "hold the X" drop X (or make it "Xfree"). */
export function queryWords(text: string): QueryWords {
  const split = splitWords(text);
  const kept: string[] = [];
  for (let index = 0; index < split.length; index += 1) {
    const word = split[index] ?? '';
    if (!NEGATIONS.has(word)) {
      kept.push(word);
      continue;
    }
    const target = negated(split, index + 1);
    const object = split[target];
    if (object !== undefined && freeFromStem(object) !== undefined) kept.push(object, 'free');
    index = split[target + 1] === 'free' ? target + 1 : target;
  }
  const joined = joinFreeFrom(kept);
  return {
    words: joined.filter((word) => !isNoise(word)),
    hadJunk: joined.some((word) => word.length > MAX_WORD_LENGTH),
    empty: split.length === 0,
  };
}

/** Where the word a negation applies to is: the first one from `start` that is not a stopword. */
function negated(words: readonly string[], start: number): number {
  let index = start;
  while (index < words.length && STOPWORDS.has(words[index] ?? '') && !NEGATIONS.has(words[index] ?? '')) {
    index += 1;
  }
  return index;
}
