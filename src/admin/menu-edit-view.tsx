import type { Child, FC } from 'hono/jsx';
import { ALLERGENS, DIETARY_TAGS, type Menu, type ModifierGroup } from '../domain/catalog.js';
import { Check, Field, type FieldErrors, FormProblems, PostForm, Select, TextArea } from './form-fields.js';
import { guideLink } from './guide-link.js';
import type { GroupFormValues, OptionFormValues } from './menu-group-edit.js';
import { optionField } from './menu-group-edit.js';
import type { ItemFormValues } from './menu-item-edit.js';
import { GroupOptions, type PriceFormat } from './menu-list-view.js';
import { priceHint } from './menu-rules-form.js';

const CheckList: FC<{
  legend: string;
  name: string;
  choices: readonly { readonly value: string; readonly label: string }[];
  chosen: readonly string[];
  errors: FieldErrors;
}> = (p) => (
  <fieldset class={p.errors[p.name] === undefined ? undefined : 'invalid'}>
    <legend>{p.legend}</legend>
    <div class="choices">
      {p.choices.map((c) => (
        <Check label={c.label} name={p.name} value={c.value} checked={p.chosen.includes(c.value)} />
      ))}
    </div>
    {p.errors[p.name] === undefined ? null : <span class="error">{p.errors[p.name]}</span>}
  </fieldset>
);

const asChoices = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

/** A group as the owner knows it: its name and its first options ("Size: Regular, Large"), never its id. */
function groupLabel(group: ModifierGroup): string {
  const names = group.options.map((o) => o.name);
  const shown = names.slice(0, 3).join(', ');
  return names.length === 0 ? group.name : `${group.name}: ${shown}${names.length > 3 ? ', …' : ''}`;
}

/** The item form: a new item (`itemId` undefined) or an existing one, with its option groups below. */
export function itemFormBody(p: {
  readonly itemId: string | undefined;
  readonly values: ItemFormValues;
  readonly errors: FieldErrors;
  readonly menu: Menu;
  readonly price: PriceFormat;
  readonly csrf: string;
}): Child {
  const { values, errors, menu } = p;
  const action = p.itemId === undefined ? '/admin/menu/new-item' : `/admin/menu/items/${p.itemId}`;
  const saved = menu.items.find((item) => item.id === p.itemId);
  const groups = menu.modifierGroups.filter((g) => saved?.modifierGroupIds.includes(g.id));
  return (
    <>
      <p class="hint intro">
        What assistants tell customers about this item: name, description, price, dietary tags and allergens,
        and the option groups customers choose from. Nothing is saved until every field is right.{' '}
        {guideLink('menu')}
      </p>
      <FormProblems errors={errors} />
      <PostForm action={action} csrf={p.csrf} class="card">
        {p.itemId === undefined ? (
          <Field
            label="Id"
            name="id"
            value={values.id}
            errors={errors}
            hint="A short name that never changes, like cheese-burger (a-z, 0-9 and dashes)."
          />
        ) : null}
        <Field label="Name" name="name" value={values.name} errors={errors} required />
        <TextArea label="Description" name="description" value={values.description} errors={errors} />
        <Field
          label={`Price (${p.price.currency})`}
          name="price"
          value={values.price}
          errors={errors}
          inputmode="decimal"
          hint={`Like ${priceHint(p.price.currency)}`}
        />
        <Select
          label="Category"
          name="category"
          value={values.category}
          options={menu.categories.map((c) => ({ value: c.id, label: c.name }))}
          errors={errors}
        />
        <CheckList
          legend="Dietary"
          name="dietary"
          choices={asChoices(DIETARY_TAGS)}
          chosen={values.dietary}
          errors={errors}
        />
        <CheckList
          legend="Allergens"
          name="allergens"
          choices={asChoices(ALLERGENS)}
          chosen={values.allergens}
          errors={errors}
        />
        <CheckList
          legend="Option groups"
          name="groups"
          choices={menu.modifierGroups.map((g) => ({ value: g.id, label: groupLabel(g) }))}
          chosen={values.groups}
          errors={errors}
        />
        <p>
          <Check label="Sold out (86)" name="sold_out" checked={values.soldOut} />
        </p>
        <p class="actions">
          <button type="submit" class="primary">
            {p.itemId === undefined ? 'Add the item' : 'Save'}
          </button>{' '}
          <a href="/admin/menu">Back to the menu</a>
        </p>
      </PostForm>
      {groups.map((group) => (
        <section class="card">
          <h2>
            {group.name} <a href={`/admin/menu/groups/${group.id}`}>edit</a>
          </h2>
          <GroupOptions
            group={group}
            price={p.price}
            csrf={p.csrf}
            back={`/admin/menu/items/${p.itemId ?? ''}`}
          />
        </section>
      ))}
    </>
  );
}

const OptionRow: FC<{
  id: string | undefined;
  row: OptionFormValues;
  errors: FieldErrors;
  currency: string;
}> = (p) => {
  const name = (field: string) => optionField(p.id, field);
  return (
    <fieldset>
      <legend>{p.id === undefined ? 'Add an option' : p.row.id}</legend>
      {p.id === undefined ? (
        <Field label="Id" name={name('id')} value={p.row.id} errors={p.errors} hint="Like extra-cheese" />
      ) : null}
      <Field label="Name" name={name('name')} value={p.row.name} errors={p.errors} />
      <Field
        label={`Extra charge (${p.currency})`}
        name={name('price')}
        value={p.row.price}
        errors={p.errors}
        inputmode="decimal"
        hint="Empty for none"
      />
      <Check
        label="Picked unless the customer says otherwise"
        name={name('default')}
        checked={p.row.isDefault}
      />
      {p.id === undefined ? null : (
        <>
          <Check label="Sold out (86)" name={name('sold_out')} checked={p.row.soldOut} />
          <Check label="Remove this option" name={name('remove')} checked={p.row.remove} />
        </>
      )}
    </fieldset>
  );
};

/** The option group form: its name, how many options a customer picks, and its options. */
export function groupFormBody(p: {
  readonly group: ModifierGroup;
  readonly values: GroupFormValues;
  readonly errors: FieldErrors;
  readonly usedBy: readonly string[];
  readonly currency: string;
  readonly csrf: string;
}): Child {
  const { values, errors } = p;
  return (
    <>
      <p class="hint intro">
        The choices a customer makes for the items that use this group (a size, extras, what to leave off):
        how many they pick, and what each option adds to the price. {guideLink('menu')}
      </p>
      <FormProblems errors={errors} />
      <p>Used by: {p.usedBy.length === 0 ? 'no item' : p.usedBy.join(', ')}.</p>
      <PostForm action={`/admin/menu/groups/${p.group.id}`} csrf={p.csrf} class="card">
        <Field label="Name" name="name" value={values.name} errors={errors} required />
        <Select
          label="Customers pick"
          name="selection"
          value={values.selection}
          options={[
            { value: 'single', label: 'One option (single)' },
            { value: 'multiple', label: 'Several options (multiple)' },
          ]}
          errors={errors}
        />
        <Field label="At least" name="min" value={values.min} errors={errors} inputmode="numeric" size={4} />
        <Field label="At most" name="max" value={values.max} errors={errors} inputmode="numeric" size={4} />
        {values.options.map((row) => (
          <OptionRow id={row.id} row={row} errors={errors} currency={p.currency} />
        ))}
        <OptionRow id={undefined} row={values.added} errors={errors} currency={p.currency} />
        <p class="actions">
          <button type="submit" class="primary">
            Save
          </button>{' '}
          <a href="/admin/menu#options">Back to the menu</a>
        </p>
      </PostForm>
    </>
  );
}
