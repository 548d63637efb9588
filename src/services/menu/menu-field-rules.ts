// Checks on single values of a menu entry; each returns what is wrong in words a shop owner understands.

/** Longest name the menu, the tickets and the assistants get. */
export const MAX_NAME_LENGTH = 80;
/** Longest description. */
export const MAX_DESCRIPTION_LENGTH = 500;
/** Longest id; ids end up in URLs and tool calls. */
export const MAX_ID_LENGTH = 64;
/** Most units of one item a menu can allow on one order line. */
export const MAX_QUANTITY_LIMIT = 999;

const ID_PATTERN = /^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
// Any C0/C1 control character (newline, tab, …): names are printed on one ticket line.
const CONTROL_CHARACTER = /\p{Cc}/u;

/** What is wrong with an id, or undefined when it is a usable slug like "cheese-burger". */
export function idProblem(id: string, noun: string): string | undefined {
  if (id === '') return `every ${noun} needs an id (a short name that never changes, like cheese-burger)`;
  if (id.length <= MAX_ID_LENGTH && ID_PATTERN.test(id)) return undefined;
  const suggestion = slugify(id) || 'cheese-burger';
  return `'${id}' is not a usable id — use lower-case letters, digits and dashes (at most ${MAX_ID_LENGTH}), like ${suggestion}`;
}

function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_ID_LENGTH)
    .replace(/-+$/, '');
}

/** What is wrong with a name: empty, too long, or spread over several lines. */
export function nameProblem(name: string, noun: string): string | undefined {
  if (name.trim() === '') return `every ${noun} needs a name`;
  if (name.length > MAX_NAME_LENGTH) {
    return `the name is ${name.length} characters long — at most ${MAX_NAME_LENGTH} fit on the menu and the ticket`;
  }
  if (CONTROL_CHARACTER.test(name)) return 'a name must be one line of text (no line breaks or tabs)';
  return undefined;
}

/** What is wrong with a description: too long. */
export function descriptionProblem(description: string): string | undefined {
  if (description.length <= MAX_DESCRIPTION_LENGTH) return undefined;
  return `the description is ${description.length} characters long — at most ${MAX_DESCRIPTION_LENGTH} are allowed`;
}

/** What is wrong with a price in minor units: negative. */
export function priceProblem(price: number): string | undefined {
  return price < 0 ? 'a price cannot be negative' : undefined;
}

/** What is wrong with a picture address: not a URL, or not HTTPS. */
export function imageUrlProblem(url: string): string | undefined {
  if (!URL.canParse(url))
    return `'${url}' is not a web address — write it like https://example.com/burger.jpg`;
  if (new URL(url).protocol !== 'https:') {
    return `'${url}' must start with https:// — assistants only show pictures served over HTTPS`;
  }
  if (url.length > 2000) return 'the picture address is longer than 2000 characters';
  return undefined;
}

/** What is wrong with a most-per-line quantity. */
export function maxQuantityProblem(maxQuantity: number): string | undefined {
  if (maxQuantity >= 1 && maxQuantity <= MAX_QUANTITY_LIMIT) return undefined;
  return `max_quantity must be between 1 and ${MAX_QUANTITY_LIMIT}, not ${maxQuantity}`;
}

/** What is wrong with a "HH:MM" time; `end` also allows "24:00" (midnight at the end of the day). */
export function timeProblem(time: string, end: boolean): string | undefined {
  if (TIME_PATTERN.test(time) || (end && time === '24:00')) return undefined;
  return `'${time}' is not a time — write it like 06:00 or 14:30${end ? ' (24:00 for midnight)' : ''}`;
}

/** The first value that appears twice in a list, if any. */
export function firstDuplicate(values: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return undefined;
}
