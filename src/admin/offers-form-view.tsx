import type { Child, FC } from 'hono/jsx';
import { WEEKDAYS } from '../domain/catalog.js';
import { Check, Field, type FieldErrors, FormProblems, PostForm, Select } from './form-fields.js';
import { guideLink } from './guide-link.js';
import type { OfferFormValues } from './offers-form.js';

/** What an offer's targets are chosen from: the menu's categories and items. */
export interface TargetChoices {
  readonly categories: readonly { readonly id: string; readonly name: string }[];
  readonly items: readonly { readonly id: string; readonly name: string }[];
}

const DAY_NAMES: Record<(typeof WEEKDAYS)[number], string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** Checkboxes of categories then items; each value is `cat:<id>` or `item:<id>`. */
const Targets: FC<{
  legend: string;
  name: string;
  chosen: readonly string[];
  choices: TargetChoices;
  errors: FieldErrors;
  hint?: string;
}> = (p) => (
  <fieldset id={p.name} class={p.errors[p.name] === undefined ? undefined : 'invalid'}>
    <legend>{p.legend}</legend>
    {p.hint === undefined ? null : <small class="hint">{p.hint}</small>}
    <div class="choices">
      {p.choices.categories.map((c) => (
        <Check
          label={`All ${c.name}`}
          name={p.name}
          value={`cat:${c.id}`}
          checked={p.chosen.includes(`cat:${c.id}`)}
        />
      ))}
    </div>
    {/* Folded unless one is ticked: a phone would otherwise scroll past the whole menu per slot. */}
    <details open={p.chosen.some((t) => t.startsWith('item:'))}>
      <summary>Single items</summary>
      <div class="choices">
        {p.choices.items.map((i) => (
          <Check
            label={i.name}
            name={p.name}
            value={`item:${i.id}`}
            checked={p.chosen.includes(`item:${i.id}`)}
          />
        ))}
      </div>
    </details>
    {p.errors[p.name] === undefined ? null : <span class="error">{p.errors[p.name]}</span>}
  </fieldset>
);

type Part = FC<{ v: OfferFormValues; errors: FieldErrors; choices: TargetChoices; currency: string }>;

const MealDealFields: Part = ({ v, errors, choices, currency }) => (
  <>
    {v.slots.map((slot, i) => (
      <div class="card">
        <Field
          label={`Slot ${i + 1}${i >= 2 ? ' (optional)' : ''}`}
          name={`slot_name_${i + 1}`}
          value={slot.name}
          errors={errors}
          placeholder={['Burger', 'Side', 'Drink', 'Dessert'][i]}
        />
        <Targets
          legend="Filled with"
          name={`slot_${i + 1}`}
          chosen={slot.targets}
          choices={choices}
          errors={errors}
        />
      </div>
    ))}
    <Select
      label="Price"
      name="price_kind"
      value={v.priceKind}
      errors={errors}
      options={[
        { value: 'fixed', label: 'A fixed price for the bundle' },
        { value: 'percent', label: 'A percent off the parts' },
        { value: 'amount', label: 'An amount off the parts' },
      ]}
    />
    <Field
      label={`Price, percent or amount (${currency} or %)`}
      name="price_value"
      value={v.priceValue}
      errors={errors}
      inputmode="decimal"
      hint="Options (large fries, extra cheese) are charged as usual on top."
    />
  </>
);

const ValueFields: FC<{ v: OfferFormValues; errors: FieldErrors; currency: string }> = ({
  v,
  errors,
  currency,
}) => (
  <>
    <Select
      label="Discount"
      name="value_kind"
      value={v.valueKind}
      errors={errors}
      options={[
        { value: 'percent', label: 'A percent off' },
        { value: 'amount', label: `An amount off (${currency})` },
      ]}
    />
    <Field
      label="How much (percent or amount)"
      name="value"
      value={v.value}
      errors={errors}
      inputmode="decimal"
    />
  </>
);

const PromoFields: Part = ({ v, errors, choices, currency }) => (
  <>
    <ValueFields v={v} errors={errors} currency={currency} />
    <Targets
      legend="On"
      name="scope"
      chosen={v.scope}
      choices={choices}
      errors={errors}
      hint="Tick nothing for the whole order."
    />
    <Field
      label={`Minimum items subtotal (${currency})`}
      name="minimum"
      value={v.minimum}
      errors={errors}
      inputmode="decimal"
      hint="Empty: no minimum."
    />
    <Field
      label="First day"
      name="valid_from"
      type="date"
      value={v.validFrom}
      errors={errors}
      hint="Empty: from now."
    />
    <Field
      label="Last day"
      name="valid_until"
      type="date"
      value={v.validUntil}
      errors={errors}
      hint="Empty: no end."
    />
    <Field
      label="Uses in all"
      name="total_limit"
      value={v.totalLimit}
      errors={errors}
      inputmode="numeric"
      hint="Empty: no limit."
    />
    <Field
      label="Uses per customer"
      name="per_customer"
      value={v.perCustomer}
      errors={errors}
      inputmode="numeric"
      hint="Empty: no limit."
    />
    <Check label="Combines with other codes" name="with_codes" checked={v.withCodes} />
    <Check label="Combines with meal deals" name="with_deals" checked={v.withDeals} />
  </>
);

const AutomaticFields: Part = ({ v, errors, choices }) => (
  <>
    <Field label="Percent off" name="percent" value={v.percent} errors={errors} inputmode="decimal" />
    {v.kind === 'nth_unit' ? (
      <Field
        label="Which unit"
        name="nth"
        value={v.nth}
        errors={errors}
        inputmode="numeric"
        hint="2: the second one is discounted (the cheaper of each pair)."
      />
    ) : (
      <>
        <fieldset id="days" class={errors.days === undefined ? undefined : 'invalid'}>
          <legend>Days</legend>
          <div class="choices">
            {WEEKDAYS.map((d) => (
              <Check label={DAY_NAMES[d]} name="days" value={d} checked={v.days.includes(d)} />
            ))}
          </div>
          {errors.days === undefined ? null : <span class="error">{errors.days}</span>}
        </fieldset>
        <Field label="From (shop time)" name="start" type="time" value={v.start} errors={errors} />
        <Field label="Until" name="end" type="time" value={v.end} errors={errors} />
      </>
    )}
    <Targets
      legend="On"
      name="scope"
      chosen={v.scope}
      choices={choices}
      errors={errors}
      hint="Tick nothing for everything."
    />
  </>
);

/** The form of one offer, new (`action` ends in /new/<kind>) or existing. */
export function offerFormBody(p: {
  readonly action: string;
  readonly values: OfferFormValues;
  readonly errors: FieldErrors;
  readonly choices: TargetChoices;
  readonly currency: string;
  readonly csrf: string;
  readonly isNew: boolean;
}): Child {
  const { values: v, errors } = p;
  const Fields =
    v.kind === 'meal_deal' ? MealDealFields : v.kind === 'promo_code' ? PromoFields : AutomaticFields;
  return (
    <>
      <p class="hint intro">
        Assistants show your offers to customers and apply them by themselves; they never make one up.{' '}
        {guideLink('offers')}
      </p>
      <FormProblems errors={errors} />
      <PostForm action={p.action} csrf={p.csrf} class="card">
        <Field label="Name" name="name" value={v.name} errors={errors} required maxlength={80} />
        {v.kind === 'promo_code' && p.isNew ? (
          <Field
            label="Code customers type"
            name="code"
            value={v.code}
            errors={errors}
            autocapitalize="characters"
            hint="Like WELCOME10. Leave it empty to make a batch of single-use codes next."
          />
        ) : null}
        <Fields v={v} errors={errors} choices={p.choices} currency={p.currency} />
        <p>
          <button type="submit">Save the offer</button> <a href="/admin/offers">Cancel</a>
        </p>
      </PostForm>
    </>
  );
}
