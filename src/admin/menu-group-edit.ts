import type { Menu, ModifierGroup, ModifierOption } from '../domain/catalog.js';
import { parseDecimalString, toDecimalString } from '../domain/money.js';
import { FORM_ERROR } from './form-fields.js';
import type { PostedForm } from './form-read.js';
import { wholeNumber } from './form-read.js';
import { type MenuEdit, menuProblems, priceHint } from './menu-rules-form.js';

/** One option row of the group form. */
export interface OptionFormValues {
  readonly id: string;
  readonly name: string;
  readonly price: string;
  readonly isDefault: boolean;
  readonly soldOut: boolean;
  readonly remove: boolean;
}

/** The group form as text: the group, its options, and one empty row for a new option. */
export interface GroupFormValues {
  readonly name: string;
  readonly selection: string;
  readonly min: string;
  readonly max: string;
  readonly options: readonly OptionFormValues[];
  readonly added: OptionFormValues;
}

const EMPTY_OPTION: OptionFormValues = {
  id: '',
  name: '',
  price: '',
  isDefault: false,
  soldOut: false,
  remove: false,
};

/** The form filled in from a group. */
export function groupFormValues(group: ModifierGroup, currency: string): GroupFormValues {
  return {
    name: group.name,
    selection: group.selection,
    min: String(group.min),
    max: String(group.max),
    options: group.options.map((o) => ({
      id: o.id,
      name: o.name,
      price: toDecimalString(o.price, currency),
      isDefault: o.isDefault,
      soldOut: o.soldOut,
      remove: false,
    })),
    added: EMPTY_OPTION,
  };
}

/** The posted group form; option rows are the group's own options, by id (`opt.<id>.<field>`). */
export function postedGroupValues(form: PostedForm, group: ModifierGroup): GroupFormValues {
  const row = (prefix: string, id: string): OptionFormValues => ({
    id,
    name: form.text(`${prefix}.name`),
    price: form.text(`${prefix}.price`),
    isDefault: form.checked(`${prefix}.default`),
    soldOut: form.checked(`${prefix}.sold_out`),
    remove: form.checked(`${prefix}.remove`),
  });
  return {
    name: form.text('name'),
    selection: form.text('selection'),
    min: form.text('min'),
    max: form.text('max'),
    options: group.options.map((o) => row(`opt.${o.id}`, o.id)),
    added: row('new', form.text('new.id')),
  };
}

/** The field names of an option row. */
export function optionField(id: string | undefined, field: string): string {
  return id === undefined ? `new.${field}` : `opt.${id}.${field}`;
}

/** The menu with the group's name, limits and options changed, checked by the import's rules. */
export function applyGroupForm(
  menu: Menu,
  group: ModifierGroup,
  values: GroupFormValues,
  shop: { readonly currency: string; readonly taxRateIds: readonly string[] },
): MenuEdit<ModifierGroup> {
  const errors: Record<string, string> = {};
  const broken = new Set<string>();
  const number = (field: 'min' | 'max'): number => {
    const value = wholeNumber(values[field]);
    if (Number.isNaN(value)) {
      errors[field] = 'Write a whole number, like 0 or 1.';
      broken.add(field);
    }
    return value;
  };
  const price = (text: string, field: string): number => {
    const value = text === '' ? 0 : parseDecimalString(text, shop.currency);
    if (value === undefined) {
      errors[field] = `Write the extra charge like ${priceHint(shop.currency)}, or leave it empty for none.`;
      broken.add(field);
    }
    return value ?? 0;
  };
  if (values.selection !== 'single' && values.selection !== 'multiple') {
    errors.selection = 'Choose single or multiple.';
  }
  const kept = values.options.filter((o) => !o.remove);
  const adding = values.added.id !== '' || values.added.name !== '';
  const rows = adding ? [...kept, values.added] : kept;
  const before = new Map(group.options.map((o) => [o.id, o]));
  // Rows past the kept ones are the new option, whatever id it was given.
  const keptId = (index: number) => (index < kept.length ? kept[index]?.id : undefined);
  const options = rows.map(
    (row, index): ModifierOption => ({
      id: row.id,
      groupId: group.id,
      name: row.name,
      price: price(row.price, optionField(keptId(index), 'price')),
      isDefault: row.isDefault,
      soldOut: row.soldOut,
      sort: before.get(keptId(index) ?? '')?.sort ?? Math.max(0, ...group.options.map((o) => o.sort)) + 1,
    }),
  );
  const edited: ModifierGroup = {
    ...group,
    name: values.name,
    selection: values.selection === 'multiple' ? 'multiple' : 'single',
    min: number('min'),
    max: number('max'),
    options,
  };
  const groupIndex = menu.modifierGroups.findIndex((g) => g.id === group.id);
  const next: Menu = {
    ...menu,
    modifierGroups: menu.modifierGroups.map((g, index) => (index === groupIndex ? edited : g)),
  };
  const problems = menuProblems(next, shop.taxRateIds, {
    locate(ref, field) {
      if (ref.kind === 'group' && ref.index === groupIndex) return field === 'options' ? FORM_ERROR : field;
      if (ref.kind === 'option' && ref.group === groupIndex) return optionField(keptId(ref.index), field);
      return undefined;
    },
    isBroken(ref, field) {
      if (ref.kind === 'group' && ref.index === groupIndex) return broken.has(field);
      if (ref.kind === 'option' && ref.group === groupIndex)
        return broken.has(optionField(keptId(ref.index), field));
      return false;
    },
  });
  for (const [field, message] of Object.entries(problems)) errors[field] ??= message;
  return Object.keys(errors).length === 0 ? { ok: true, menu: next, value: edited } : { ok: false, errors };
}
