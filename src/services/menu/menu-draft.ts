import type { Violation } from '../../domain/app-error.js';
import type { Menu } from '../../domain/catalog.js';

/** The kinds of entry a menu file holds; the same words as the CSV `kind` column. */
export type MenuEntryKind = 'daypart' | 'category' | 'group' | 'option' | 'item';

/** Points at one entry of a draft menu: an index into its list (an option: into its group's options). */
export type MenuEntryRef =
  | { readonly kind: 'daypart' | 'category' | 'group' | 'item'; readonly index: number }
  | { readonly kind: 'option'; readonly group: number; readonly index: number };

/** A menu as read from a file, what went wrong while reading it, and how to point back into the file. */
export interface MenuDraft {
  readonly menu: Menu;
  /** Problems found while reading (bad cells, unknown columns, wrong types). */
  readonly violations: readonly Violation[];
  /** Where a field of an entry came from: "row 14, column price" (CSV) or "items[3].price" (JSON). */
  locate(ref: MenuEntryRef, field: string): string;
  /** True when reading this field already failed, so rules about its value stay quiet. */
  isBroken(ref: MenuEntryRef, field: string): boolean;
  /** `kind:id` of entries that could not be read at all, so references to them are not reported twice. */
  readonly unreadIds: ReadonlySet<string>;
}

/** A problem in an imported menu file, at `path`. */
export function importViolation(path: string, message: string): Violation {
  return { code: 'menu_import_invalid', message, path };
}

/** "'vegn' is not a dietary tag — use one of: vegan, vegetarian, …". */
export function notOneOfMessage(value: unknown, what: string, allowed: readonly string[]): string {
  const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  const article = /^[aeiou]/.test(what) ? 'an' : 'a';
  return `${shown} is not ${article} ${what} — use one of: ${allowed.join(', ')}`;
}
