import {
  ALLERGENS,
  type Allergen,
  DEFAULT_MAX_QUANTITY,
  DIETARY_TAGS,
  type DietaryTag,
  type Menu,
  type MenuItem,
} from '../domain/catalog.js';
import { parseDecimalString, toDecimalString } from '../domain/money.js';
import type { PostedForm } from './form-read.js';
import { type MenuEdit, menuProblems, priceHint } from './menu-rules-form.js';

/** The item form as text, to fill it in and to show it again after a mistake. */
export interface ItemFormValues {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly price: string;
  readonly category: string;
  readonly dietary: readonly string[];
  readonly allergens: readonly string[];
  readonly groups: readonly string[];
  readonly soldOut: boolean;
}

/** The form filled in from an item, or empty for a new one in the first category. */
export function itemFormValues(item: MenuItem | undefined, menu: Menu, currency: string): ItemFormValues {
  return {
    id: item?.id ?? '',
    name: item?.name ?? '',
    description: item?.description ?? '',
    price: item === undefined ? '' : toDecimalString(item.price, currency),
    category: item?.categoryId ?? menu.categories[0]?.id ?? '',
    dietary: item?.dietary ?? [],
    allergens: item?.allergens ?? [],
    groups: item?.modifierGroupIds ?? [],
    soldOut: item?.soldOut ?? false,
  };
}

/** The posted item form; the id only counts for a new item (an item's id never changes). */
export function postedItemValues(form: PostedForm): ItemFormValues {
  return {
    id: form.text('id'),
    name: form.text('name'),
    description: form.text('description').replace(/\r\n/g, '\n'),
    price: form.text('price'),
    category: form.text('category'),
    dietary: form.all('dietary'),
    allergens: form.all('allergens'),
    groups: form.all('groups'),
    soldOut: form.checked('sold_out'),
  };
}

/** The form field each item field is shown next to. */
const FIELD_OF: Readonly<Record<string, string>> = {
  id: 'id',
  name: 'name',
  description: 'description',
  price: 'price',
  categoryId: 'category',
  dietary: 'dietary',
  allergens: 'allergens',
  modifierGroupIds: 'groups',
};

/**
 * The menu with the item edited (`itemId`) or added (undefined), checked by the same rules as an
 * import; problems come back by form field.
 */
export function applyItemForm(
  menu: Menu,
  itemId: string | undefined,
  values: ItemFormValues,
  shop: { readonly currency: string; readonly taxRateIds: readonly string[] },
): MenuEdit<MenuItem> {
  const errors: Record<string, string> = {};
  const broken = new Set<string>();
  const price = parseDecimalString(values.price, shop.currency);
  if (price === undefined) {
    errors.price = `Write the price in ${shop.currency} like ${priceHint(shop.currency)}.`;
    broken.add('price');
  }
  const unknownTag = values.dietary.find((tag) => !(DIETARY_TAGS as readonly string[]).includes(tag));
  if (unknownTag !== undefined) errors.dietary = `'${unknownTag}' is not a dietary tag.`;
  const unknownAllergen = values.allergens.find((a) => !(ALLERGENS as readonly string[]).includes(a));
  if (unknownAllergen !== undefined) errors.allergens = `'${unknownAllergen}' is not an allergen.`;

  const existing = itemId === undefined ? undefined : menu.items.find((item) => item.id === itemId);
  const item: MenuItem = {
    id: existing?.id ?? values.id,
    categoryId: values.category,
    name: values.name,
    description: values.description,
    price: price ?? 0,
    imageUrl: existing?.imageUrl,
    // The form lists them in the catalog's order; keep that order rather than the order they were sent.
    dietary: DIETARY_TAGS.filter((tag): tag is DietaryTag => values.dietary.includes(tag)),
    allergens: ALLERGENS.filter((a): a is Allergen => values.allergens.includes(a)),
    soldOut: values.soldOut,
    sort: existing?.sort ?? Math.max(0, ...menu.items.map((i) => i.sort)) + 1,
    daypartId: existing?.daypartId,
    modifierGroupIds: keepOrder(values.groups, existing?.modifierGroupIds ?? []),
    maxQuantity: existing?.maxQuantity ?? DEFAULT_MAX_QUANTITY,
  };
  const items =
    existing === undefined
      ? [...menu.items, item]
      : menu.items.map((other) => (other.id === existing.id ? item : other));
  const edited: Menu = { ...menu, items };
  const index = items.indexOf(item);
  const problems = menuProblems(edited, shop.taxRateIds, {
    locate: (ref, field) => (ref.kind === 'item' && ref.index === index ? FIELD_OF[field] : undefined),
    isBroken: (ref, field) => ref.kind === 'item' && ref.index === index && broken.has(FIELD_OF[field] ?? ''),
  });
  for (const [field, message] of Object.entries(problems)) errors[field] ??= message;
  return Object.keys(errors).length === 0 ? { ok: true, menu: edited, value: item } : { ok: false, errors };
}

/** The ticked groups: those the item had stay where they were, new ones follow in the form's order. */
function keepOrder(ticked: readonly string[], before: readonly string[]): string[] {
  const unique = [...new Set(ticked)];
  return [...before.filter((id) => unique.includes(id)), ...unique.filter((id) => !before.includes(id))];
}
