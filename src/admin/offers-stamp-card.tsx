import type { Child } from 'hono/jsx';
import { parseDecimalString, toDecimalString } from '../domain/money.js';
import type { StampCard } from '../domain/stamp-card.js';
import { Check, Field, type FieldErrors, FormProblems, PostForm, Select } from './form-fields.js';
import { type PostedForm, wholeNumber } from './form-read.js';
import { guideLink } from './guide-link.js';

/** The stamp card form as text. */
export interface StampFormValues {
  readonly enabled: boolean;
  readonly minimum: string;
  readonly stamps: string;
  readonly rewardKind: string;
  readonly rewardItem: string;
  readonly rewardAmount: string;
}

/** The form filled in from the saved card, or a first suggestion. */
export function stampFormValues(card: StampCard | undefined, currency: string): StampFormValues {
  return {
    enabled: card?.enabled ?? false,
    minimum: card === undefined ? '' : toDecimalString(card.minimum, currency),
    stamps: String(card?.stamps ?? 10),
    rewardKind: card?.reward.kind ?? 'item',
    rewardItem: card?.reward.kind === 'item' ? card.reward.itemId : '',
    rewardAmount: card?.reward.kind === 'amount' ? toDecimalString(card.reward.amount, currency) : '',
  };
}

export function postedStampValues(form: PostedForm): StampFormValues {
  return {
    enabled: form.checked('enabled'),
    minimum: form.text('minimum'),
    stamps: form.text('stamps'),
    rewardKind: form.text('reward_kind'),
    rewardItem: form.text('reward_item'),
    rewardAmount: form.text('reward_amount'),
  };
}

/** The card the form describes, or its problems by field. */
export function parseStampForm(
  v: StampFormValues,
  shop: { currency: string; itemIds: ReadonlySet<string> },
): { ok: true; card: StampCard } | { ok: false; errors: FieldErrors } {
  const errors: Record<string, string> = {};
  const minimum = v.minimum === '' ? 0 : parseDecimalString(v.minimum, shop.currency);
  if (minimum === undefined || minimum < 0)
    errors.minimum = `Write an amount in ${shop.currency}, or leave it empty.`;
  const stamps = wholeNumber(v.stamps);
  if (!(stamps >= 1 && stamps <= 100)) errors.stamps = 'Write how many stamps fill the card, from 1 to 100.';
  let reward: StampCard['reward'] | undefined;
  if (v.rewardKind === 'item') {
    if (shop.itemIds.has(v.rewardItem)) reward = { kind: 'item', itemId: v.rewardItem };
    else errors.reward_item = 'Choose the item the full card gives.';
  } else {
    const amount = parseDecimalString(v.rewardAmount, shop.currency);
    if (amount !== undefined && amount > 0) reward = { kind: 'amount', amount };
    else errors.reward_amount = `Write the amount off in ${shop.currency}, more than zero.`;
  }
  if (reward === undefined || minimum === undefined || Object.keys(errors).length > 0)
    return { ok: false, errors };
  return { ok: true, card: { enabled: v.enabled, minimum, stamps, reward } };
}

/** The stamp card's page. */
export function stampCardBody(p: {
  readonly values: StampFormValues;
  readonly errors: FieldErrors;
  readonly items: readonly { id: string; name: string }[];
  readonly currency: string;
  readonly csrf: string;
}): Child {
  const { values: v, errors } = p;
  return (
    <>
      <p class="hint intro">
        A customer signed in with an assistant collects a stamp with each paid order of at least the minimum
        (items after discounts). When the card is full, the reward comes off their next order by itself; a
        refunded order's stamp is taken back. {guideLink('offers')}
      </p>
      <FormProblems errors={errors} />
      <PostForm action="/admin/offers/stamp-card" csrf={p.csrf} class="card">
        <Check label="The stamp card is on" name="enabled" checked={v.enabled} />
        <Field
          label={`Minimum order (${p.currency})`}
          name="minimum"
          value={v.minimum}
          errors={errors}
          inputmode="decimal"
          hint="Empty: any paid order."
        />
        <Field
          label="Stamps that fill the card"
          name="stamps"
          value={v.stamps}
          errors={errors}
          inputmode="numeric"
        />
        <Select
          label="Reward"
          name="reward_kind"
          value={v.rewardKind}
          errors={errors}
          options={[
            { value: 'item', label: 'An item free' },
            { value: 'amount', label: 'An amount off' },
          ]}
        />
        <Select
          label="Free item"
          name="reward_item"
          value={v.rewardItem}
          errors={errors}
          options={[{ value: '', label: '—' }, ...p.items.map((i) => ({ value: i.id, label: i.name }))]}
        />
        <Field
          label={`Amount off (${p.currency})`}
          name="reward_amount"
          value={v.rewardAmount}
          errors={errors}
          inputmode="decimal"
        />
        <p>
          <button type="submit">Save the stamp card</button> <a href="/admin/offers">Cancel</a>
        </p>
      </PostForm>
    </>
  );
}
