import type { Menu } from '../domain/catalog.js';
import { minorDigits } from '../domain/money.js';
import type { MenuEntryRef } from '../services/menu/menu-draft.js';
import { checkMenuRules } from '../services/menu/menu-rules.js';
import { type FieldErrors, FORM_ERROR, sentence } from './form-fields.js';

/** An edit made on an owner form: the whole new menu, or the problems by form field. */
export type MenuEdit<T> =
  | { readonly ok: true; readonly menu: Menu; readonly value: T }
  | { readonly ok: false; readonly errors: FieldErrors };

/** "10.95" in a two-decimal currency, "1200" in yen. */
export function priceHint(currency: string): string {
  const digits = minorDigits(currency);
  return digits === 0 ? '1200' : `10.${'95'.padEnd(digits, '0')}`;
}

/**
 * Checks a menu edited on a form with the import's rules (src/services/menu/menu-rules.ts), so a form can
 * save nothing a CSV file could not. `locate` names the form field a problem belongs to; problems it
 * does not place (in another entry of the menu) are reported for the whole form.
 */
export function menuProblems(
  menu: Menu,
  taxRateIds: readonly string[],
  where: {
    locate(ref: MenuEntryRef, field: string): string | undefined;
    /** The field could not be read from the form: its problem is reported already. */
    isBroken(ref: MenuEntryRef, field: string): boolean;
  },
): FieldErrors {
  const placed = new Map<string, string>();
  // Entries the form does not show are named "item poke-bowl": in the problem's place and inside the
  // messages that point at them ("another item already has the id … (item poke-bowl)").
  const elsewhere = new Set<string>();
  const violations = checkMenuRules(
    {
      menu,
      violations: [],
      unreadIds: new Set(),
      locate: (ref, field) => {
        const name = where.locate(ref, field);
        if (name !== undefined) return name;
        const entry = `${ref.kind} ${idAt(menu, ref)}`;
        elsewhere.add(entry);
        return entry;
      },
      isBroken: (ref, field) => where.isBroken(ref, field),
    },
    { taxRateIds },
  );
  for (const violation of violations) {
    const path = violation.path ?? FORM_ERROR;
    if (elsewhere.has(path)) {
      const text = sentence(`${path}: ${violation.message}`);
      placed.set(FORM_ERROR, placed.has(FORM_ERROR) ? `${placed.get(FORM_ERROR)} ${text}` : text);
    } else if (!placed.has(path)) {
      placed.set(path, sentence(violation.message));
    }
  }
  return Object.fromEntries(placed);
}

function idAt(menu: Menu, ref: MenuEntryRef): string {
  if (ref.kind === 'option') return menu.modifierGroups[ref.group]?.options[ref.index]?.id ?? '?';
  const list = {
    daypart: menu.dayparts,
    category: menu.categories,
    group: menu.modifierGroups,
    item: menu.items,
  }[ref.kind];
  return list[ref.index]?.id ?? '?';
}
