import type { z } from 'zod';
import type { Violation } from '../../domain/app-error.js';
import { importViolation } from './menu-draft.js';

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'text in quotes',
  // Every number in a menu document is whole (prices are minor units), so zod's "number" means one too.
  number: 'a whole number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list [ … ]',
  object: 'an object { … }',
};

/** A JSON path as people read it: `["items", 3, "price"]` → `items[3].price`; the empty path is `file`. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    path += typeof segment === 'number' ? `[${segment}]` : `${path === '' ? '' : '.'}${String(segment)}`;
  }
  return path === '' ? 'file' : path;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/**
 * Turns one zod issue into violations a person can act on. `prefix` is where the parsed value sits in
 * the document; `fields` lists the allowed field names per list (`items`, `option`, `document`, …).
 */
export function describeJsonIssue(
  issue: z.core.$ZodIssue,
  prefix: readonly PropertyKey[],
  fields: Readonly<Record<string, readonly string[]>>,
): Violation[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const allowed =
      path.length === 0 ? fields.document : fields[path.includes('options') ? 'option' : String(path[0])];
    const hint = allowed === undefined ? '' : ` — the fields here are: ${allowed.join(', ')}`;
    return issue.keys.map((key) => importViolation(jsonPath([...path, key]), `unknown field${hint}`));
  }
  if (issue.code === 'invalid_type') {
    const expected = EXPECTED[issue.expected] ?? issue.expected;
    if (issue.input === undefined) return [importViolation(jsonPath(path), `is missing (${expected})`)];
    const priceHint =
      path.at(-1) === 'price' ? ' — prices are whole numbers of minor units, like 1095 for 10.95' : '';
    return [importViolation(jsonPath(path), `should be ${expected}, not ${shown(issue.input)}${priceHint}`)];
  }
  return [importViolation(jsonPath(path), issue.message)];
}
