import type { Child, FC } from 'hono/jsx';
import type { Menu, MenuItem, ModifierGroup } from '../domain/catalog.js';
import { formatMoney } from '../domain/money.js';
import { ActionButton } from './form-fields.js';
import { guideLink } from './guide-link.js';

/** How the owner's pages write prices. */
export interface PriceFormat {
  readonly currency: string;
  readonly locale: string;
}

/** The sold-out ("86") switch of an item or an option: one button that flips it. */
export const SoldOutToggle: FC<{
  kind: 'items' | 'options';
  id: string;
  soldOut: boolean;
  csrf: string;
  back: string;
}> = (p) => (
  <ActionButton
    action={`/admin/menu/${p.kind}/${p.id}/sold-out`}
    csrf={p.csrf}
    label={p.soldOut ? 'Mark available' : 'Mark sold out'}
    kind={p.soldOut ? 'primary' : 'secondary'}
    fields={{ sold_out: p.soldOut ? 'no' : 'yes', back: p.back }}
  />
);

const Availability: FC<{ soldOut: boolean }> = ({ soldOut }) =>
  soldOut ? <strong class="badge bad">sold out</strong> : <span class="badge ok">available</span>;

const ItemRow: FC<{ item: MenuItem; price: PriceFormat; csrf: string }> = ({ item, price, csrf }) => (
  <li id={`item-${item.id}`} class="row">
    <span class="main">
      <a href={`/admin/menu/items/${item.id}`}>{item.name}</a>{' '}
      <span class="price">{formatMoney(item.price, price.currency, price.locale)}</span>{' '}
      <Availability soldOut={item.soldOut} />
    </span>
    <SoldOutToggle
      kind="items"
      id={item.id}
      soldOut={item.soldOut}
      csrf={csrf}
      back={`/admin/menu#item-${item.id}`}
    />
  </li>
);

/** A modifier group with its options, each with its price and sold-out switch. */
export const GroupOptions: FC<{ group: ModifierGroup; price: PriceFormat; csrf: string; back: string }> = (
  p,
) => (
  <ul class="rows">
    {p.group.options.map((o) => (
      <li id={`option-${o.id}`} class="row">
        <span class="main">
          {o.name}{' '}
          <span class="price">
            {o.price === 0 ? '' : `+${formatMoney(o.price, p.price.currency, p.price.locale)}`}
          </span>{' '}
          <Availability soldOut={o.soldOut} />
        </span>
        <SoldOutToggle kind="options" id={o.id} soldOut={o.soldOut} csrf={p.csrf} back={p.back} />
      </li>
    ))}
  </ul>
);

/** The menu page: items by category, then the option groups; every sold-out switch one tap away. */
export function menuListBody(menu: Menu, price: PriceFormat, csrf: string): Child {
  const soldOut = menu.items.filter((item) => item.soldOut).length;
  return (
    <>
      <section class="card">
        <p class="hint intro">
          What assistants offer your customers. Tap <strong>Mark sold out</strong> when something runs out:
          assistants stop offering it at once, until <strong>Mark available</strong>. Tap a name to edit it.
        </p>
        <p>
          {menu.items.length === 0
            ? 'The menu has no items yet: add them one by one, or import a menu file.'
            : `${menu.items.length} items in ${menu.categories.length} ${menu.categories.length === 1 ? 'category' : 'categories'}${soldOut === 0 ? '' : `, ${soldOut} sold out`}.`}{' '}
          {guideLink('menu')}
        </p>
        <p class="actions">
          <a class="button primary" href="/admin/menu/new-item">
            Add an item
          </a>{' '}
          <a class="button secondary" href="/admin/menu/import">
            Import a menu file
          </a>{' '}
          <a href="/admin/menu/export.csv" download>
            Download CSV
          </a>{' '}
          <a href="/admin/menu/export.json" download>
            Download JSON
          </a>
        </p>
      </section>
      {menu.categories.map((category) => {
        const items = menu.items.filter((item) => item.categoryId === category.id);
        return (
          <section class="card" id={`category-${category.id}`}>
            <h2>{category.name}</h2>
            {items.length === 0 ? (
              <p>No items.</p>
            ) : (
              <ul class="rows">
                {items.map((item) => (
                  <ItemRow item={item} price={price} csrf={csrf} />
                ))}
              </ul>
            )}
          </section>
        );
      })}
      {menu.modifierGroups.length === 0 ? null : (
        <section class="card" id="options">
          <h2>Options</h2>
          {menu.modifierGroups.map((group) => (
            <div id={`group-${group.id}`}>
              <h3>
                <a href={`/admin/menu/groups/${group.id}`}>{group.name}</a>
              </h3>
              <GroupOptions group={group} price={price} csrf={csrf} back={`/admin/menu#group-${group.id}`} />
            </div>
          ))}
        </section>
      )}
    </>
  );
}
