import type { Child, FC } from 'hono/jsx';
import type { MenuItem } from '../domain/catalog.js';
import type { MenuIndex } from '../domain/menu-index.js';
import type { PickupSlot } from '../domain/pickup.js';
import type { LineInput, OrderView } from '../services/orders/order-types.js';
import { CsrfField } from './admin-layout.js';
import { ErrorText, type FieldErrors, FORM_ERROR } from './form-fields.js';
import { guideLink } from './guide-link.js';
import { lineField, type StaffDraft } from './staff-order-draft.js';

/** Where the page's own stylesheet and script are served (staff-order-routes.tsx). */
export const TAKE_ORDER_ASSETS = {
  css: '/admin/assets/take-order.css',
  js: '/admin/assets/take-order.js',
} as const;

/** What both steps of the order screen show and carry. */
export interface TakeOrderContext {
  readonly csrf: string;
  readonly index: MenuIndex;
  readonly money: (amount: number) => string;
  readonly formatTime: (instant: Date) => string;
}

/** The draft as hidden fields: the key and the lines, and on the options step the customer too. */
export const DraftFields: FC<{ draft: StaffDraft; csrf: string; customer: boolean }> = (p) => (
  <>
    <CsrfField token={p.csrf} />
    <input type="hidden" name="key" value={p.draft.key} />
    {p.draft.lines.map((line) => (
      <input type="hidden" name="line" value={lineField(line)} />
    ))}
    {p.customer ? (
      <>
        <input type="hidden" name="customer_name" value={p.draft.name} />
        <input type="hidden" name="customer_phone" value={p.draft.phone} />
        <input type="hidden" name="pickup" value={p.draft.pickup} />
        <input type="hidden" name="q" value={p.draft.search} />
      </>
    ) : null}
  </>
);

/** The menu as big buttons by category: an item with options opens them, one without is added at once. */
const ItemTiles: FC<{ shown: readonly MenuItem[]; ctx: TakeOrderContext }> = ({ shown, ctx }) => {
  const categories = [...ctx.index.menu.categories].sort((a, b) => a.sort - b.sort);
  const sections = categories.flatMap((category) => {
    const items = shown.filter((i) => i.categoryId === category.id).sort((a, b) => a.sort - b.sort);
    return items.length === 0 ? [] : [{ category, items }];
  });
  if (sections.length === 0) return <p class="empty">Nothing on the menu matches.</p>;
  return (
    <>
      {sections.map(({ category, items }) => (
        <section class="so-category">
          <h3>{category.name}</h3>
          <div class="so-tiles">
            {items.map((item) => (
              <button
                type="submit"
                name="do"
                value={`pick:${item.id}`}
                class="so-tile"
                disabled={item.soldOut}
                data-name={item.name.toLowerCase()}
              >
                <span class="so-name">{item.name}</span>
                <span class="so-price">{item.soldOut ? 'sold out' : ctx.money(item.price)}</span>
              </button>
            ))}
          </div>
        </section>
      ))}
    </>
  );
};

function optionNames(line: LineInput, ctx: TakeOrderContext): string {
  return (line.optionIds ?? []).map((id) => ctx.index.options.get(id)?.name ?? id).join(', ');
}

/** The order so far: each line with its options, note, problems and a Remove button; then the totals. */
const DraftLines: FC<{
  draft: StaffDraft;
  quote: OrderView;
  ctx: TakeOrderContext;
  problems: ReadonlyMap<number, readonly string[]>;
}> = (p) => {
  if (p.draft.lines.length === 0) return <p class="empty">No items yet: tap one on the menu.</p>;
  const t = p.quote.priced.totals;
  return (
    <>
      <ul class="so-lines">
        {p.draft.lines.map((line, i) => (
          <li class={p.problems.has(i) ? 'invalid' : undefined}>
            <strong>
              {line.quantity} × {p.ctx.index.items.get(line.itemId)?.name ?? line.itemId}
            </strong>
            {optionNames(line, p.ctx) === '' ? null : <small>{optionNames(line, p.ctx)}</small>}
            {line.note === undefined ? null : <em class="note">Note: {line.note}</em>}
            {(p.problems.get(i) ?? []).map((message) => (
              <span class="error">{message}</span>
            ))}
            <button type="submit" name="do" value={`remove:${i}`} class="secondary so-remove">
              Remove
            </button>
          </li>
        ))}
      </ul>
      <p class="so-totals">
        Subtotal {p.ctx.money(t.subtotal)}
        {t.taxBreakdown.map(
          (tax) => ` · ${tax.name} ${p.ctx.money(tax.amount)}${t.taxIncluded ? ' (incl.)' : ''}`,
        )}
        {t.fee > 0 ? ` · Fee ${p.ctx.money(t.fee)}` : ''}
        <br />
        <strong class="so-total">Total {p.ctx.money(t.total)}</strong>
      </p>
    </>
  );
};

/** Name, phone and pickup time, with their problems under them. */
const Customer: FC<{
  draft: StaffDraft;
  slots: readonly PickupSlot[];
  errors: FieldErrors;
  ctx: TakeOrderContext;
}> = (p) => {
  const field = (name: string) => (p.errors[name] === undefined ? 'field' : 'field invalid');
  const slotValues = new Set(p.slots.map((s) => s.start.toISOString()));
  return (
    <>
      <p class={field('customer_name')}>
        <label for="customer_name">Customer name</label>
        <input
          id="customer_name"
          name="customer_name"
          value={p.draft.name}
          maxlength={60}
          autocomplete="off"
        />
        <ErrorText id="customer_name" error={p.errors.customer_name} />
      </p>
      <p class={field('customer_phone')}>
        <label for="customer_phone">Phone (optional)</label>
        <input
          id="customer_phone"
          name="customer_phone"
          type="tel"
          value={p.draft.phone}
          maxlength={40}
          autocomplete="off"
        />
        <ErrorText id="customer_phone" error={p.errors.customer_phone} />
      </p>
      <p class={field('pickup')}>
        <label for="pickup">Pickup</label>
        <select id="pickup" name="pickup">
          <option value="asap" selected={p.draft.pickup === 'asap'}>
            As soon as possible
          </option>
          {p.draft.pickup === 'asap' || slotValues.has(p.draft.pickup) ? null : (
            <option value={p.draft.pickup} selected>
              {p.draft.pickup}
            </option>
          )}
          {p.slots.map((slot) => (
            <option value={slot.start.toISOString()} selected={p.draft.pickup === slot.start.toISOString()}>
              {p.ctx.formatTime(slot.start)}
              {slot.remaining === undefined ? '' : ` (${slot.remaining} left)`}
            </option>
          ))}
        </select>
        <ErrorText id="pickup" error={p.errors.pickup} />
      </p>
    </>
  );
};

/** The quick order screen: the menu to tap on one side, the order, customer and payment on the other. */
export function takeOrderBody(p: {
  readonly draft: StaffDraft;
  readonly ctx: TakeOrderContext;
  readonly shown: readonly MenuItem[];
  readonly quote: OrderView;
  readonly slots: readonly PickupSlot[];
  readonly errors: FieldErrors;
  readonly lineProblems: ReadonlyMap<number, readonly string[]>;
}): Child {
  const formError = p.errors[FORM_ERROR];
  return (
    <>
      <link rel="stylesheet" href={TAKE_ORDER_ASSETS.css} />
      <p class="hint intro">
        A phone or counter order: tap the items, fill in the name and pickup time, then say how it is paid. It
        prints in the kitchen like any order. {guideLink('takeOrder')}
      </p>
      {formError === undefined ? null : (
        <div class="errors" role="alert">
          {formError.split('\n').map((line) => (
            <p>{line}</p>
          ))}
        </div>
      )}
      <form method="post" action="/admin/orders/new" class="so-form">
        {/* First in the form: Enter in a field refreshes the screen (and searches) instead of adding an item. */}
        <button type="submit" name="do" value="refresh" class="so-default" tabindex={-1}>
          Refresh
        </button>
        <DraftFields draft={p.draft} csrf={p.ctx.csrf} customer={false} />
        <div class="so-columns">
          <section class="so-menu" aria-label="Menu">
            <p class="so-search">
              <label for="q">Search the menu</label>
              <input id="q" name="q" type="search" value={p.draft.search} autocomplete="off" />
              <button type="submit" name="do" value="search" class="secondary">
                Search
              </button>
            </p>
            <ItemTiles shown={p.shown} ctx={p.ctx} />
          </section>
          <section class="so-ticket card" aria-label="The order">
            <h2>The order</h2>
            <DraftLines draft={p.draft} quote={p.quote} ctx={p.ctx} problems={p.lineProblems} />
            <Customer draft={p.draft} slots={p.slots} errors={p.errors} ctx={p.ctx} />
            <div class="so-pay">
              <button type="submit" name="do" value="pay:counter_cash" class="primary">
                Paid at the counter · cash
              </button>
              <button type="submit" name="do" value="pay:counter_card" class="primary">
                Paid at the counter · card
              </button>
              <button type="submit" name="do" value="pay:pay_at_pickup" class="secondary">
                Pay at pickup
              </button>
            </div>
          </section>
        </div>
      </form>
      <script src={TAKE_ORDER_ASSETS.js} defer />
    </>
  );
}
