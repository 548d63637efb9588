import type { Child, FC } from 'hono/jsx';
import type { MenuItem, ModifierGroup } from '../domain/catalog.js';
import { groupsOf } from '../domain/menu-index.js';
import type { LineInput } from '../services/orders/order-types.js';
import type { StaffDraft } from './staff-order-draft.js';
import { DraftFields, TAKE_ORDER_ASSETS, type TakeOrderContext } from './staff-order-view.js';

/** How many of a group to choose, in words: "choose 1", "up to 3", "1 to 2". */
function rule(group: ModifierGroup): string {
  const max = group.selection === 'single' ? Math.min(group.max, 1) : group.max;
  if (group.min === max) return `choose ${max}`;
  if (group.min === 0) return max === 1 ? 'optional' : `up to ${max}`;
  return `${group.min} to ${max}`;
}

/** One group's options: radios for a single choice, checkboxes otherwise; what was chosen stays ticked. */
const Group: FC<{ group: ModifierGroup; chosen: ReadonlySet<string>; ctx: TakeOrderContext }> = (p) => {
  const single = p.group.selection === 'single';
  return (
    <fieldset class="so-group">
      <legend>
        {p.group.name} <small>({rule(p.group)})</small>
      </legend>
      <div class="so-options">
        {p.group.options.map((o) => (
          <label class="check so-option">
            <input
              type={single ? 'radio' : 'checkbox'}
              name="option"
              value={o.id}
              checked={p.chosen.has(o.id)}
              disabled={o.soldOut}
            />
            <span>
              {o.name}
              {o.price === 0 ? '' : ` +${p.ctx.money(o.price)}`}
              {o.soldOut ? ' (sold out)' : ''}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
};

/** The options step of one item: its groups with their min/max, quantity and a note for the kitchen. */
export function optionsBody(p: {
  readonly draft: StaffDraft;
  readonly item: MenuItem;
  /** The line as posted (after a refusal), or the item's defaults. */
  readonly line: LineInput;
  readonly ctx: TakeOrderContext;
  readonly errors: readonly string[];
}): Child {
  const chosen = new Set(
    (p.line.optionIds ?? []).length > 0
      ? p.line.optionIds
      : groupsOf(p.item, p.ctx.index.groups).flatMap((g) =>
          g.options.filter((o) => o.isDefault).map((o) => o.id),
        ),
  );
  return (
    <>
      <link rel="stylesheet" href={TAKE_ORDER_ASSETS.css} />
      {p.errors.length === 0 ? null : (
        <div class="errors" role="alert">
          {p.errors.map((message) => (
            <p>{message}</p>
          ))}
        </div>
      )}
      <form method="post" action="/admin/orders/new" class="so-form card">
        <button type="submit" name="do" value={`line:${p.item.id}`} class="so-default" tabindex={-1}>
          Add
        </button>
        <DraftFields draft={p.draft} csrf={p.ctx.csrf} customer={true} />
        <p>
          <strong>{p.item.name}</strong> · {p.ctx.money(p.item.price)}
        </p>
        {groupsOf(p.item, p.ctx.index.groups).map((group) => (
          <Group group={group} chosen={chosen} ctx={p.ctx} />
        ))}
        <p class="field">
          <label for="quantity">How many</label>
          <input
            id="quantity"
            name="quantity"
            type="number"
            inputmode="numeric"
            min={1}
            max={p.item.maxQuantity}
            value={String(p.line.quantity)}
          />
        </p>
        <p class="field">
          <label for="note">Note for the kitchen (optional)</label>
          <input id="note" name="note" value={p.line.note ?? ''} maxlength={200} autocomplete="off" />
        </p>
        <button type="submit" name="do" value={`line:${p.item.id}`} class="primary">
          Add to the order
        </button>
        <button type="submit" name="do" value="back" class="secondary">
          Back
        </button>
      </form>
    </>
  );
}
