import type { MenuItem } from '../domain/catalog.js';
import { daypartOf, groupsOf, type MenuIndex } from '../domain/menu-index.js';
import type { ShopCalendar } from '../domain/shop-calendar.js';
import type { ShopSettings } from '../domain/shop-settings.js';
import type { MenuSearchResult } from '../services/menu/menu-search.js';
import { money } from './present-money.js';

/** What presenting a menu needs: the menu maps, the settings, the calendar and the time. */
export interface MenuContext {
  readonly index: MenuIndex;
  readonly settings: ShopSettings;
  readonly calendar: ShopCalendar;
  readonly now: Date;
}

function availableNow(item: MenuItem, ctx: MenuContext): boolean {
  const daypart = daypartOf(item, ctx.index);
  return !item.soldOut && (daypart === undefined || ctx.calendar.isInDaypart(daypart, ctx.now));
}

/** The summary of an item shown in search results. */
export function itemSummary(item: MenuItem, ctx: MenuContext) {
  const { currency, locale } = ctx.settings.profile;
  return {
    item_id: item.id,
    name: item.name,
    description: item.description,
    category: ctx.index.categories.get(item.categoryId)?.name ?? item.categoryId,
    price: money(item.price, currency, locale),
    ...(item.imageUrl === undefined ? {} : { image_url: item.imageUrl }),
    dietary: [...item.dietary],
    allergens: [...item.allergens],
    sold_out: item.soldOut,
    available_now: availableNow(item, ctx),
    has_options: item.modifierGroupIds.length > 0,
  };
}

/** An item with every option group, for get_menu_item. */
export function itemDetail(item: MenuItem, ctx: MenuContext) {
  const { currency, locale } = ctx.settings.profile;
  const daypart = daypartOf(item, ctx.index);
  const from = daypart === undefined ? undefined : ctx.calendar.nextDaypartStart(daypart, ctx.now);
  return {
    ...itemSummary(item, ctx),
    max_quantity: item.maxQuantity,
    ...(from === undefined || availableNow(item, ctx)
      ? {}
      : { available_from: ctx.calendar.formatLocal(from, locale) }),
    modifier_groups: groupsOf(item, ctx.index.groups).map((g) => ({
      group_id: g.id,
      name: g.name,
      selection: g.selection,
      min: g.min,
      max: g.max,
      required: g.min > 0,
      options: g.options.map((o) => ({
        option_id: o.id,
        name: o.name,
        price: money(o.price, currency, locale),
        is_default: o.isDefault,
        sold_out: o.soldOut,
      })),
    })),
  };
}

type Summary = ReturnType<typeof itemSummary>;
type Detail = ReturnType<typeof itemDetail>;

/** The structured search_menu result. */
export function searchResult(result: MenuSearchResult, ctx: MenuContext) {
  return {
    items: result.items.map((hit) => itemSummary(hit.item, ctx)),
    total: result.total,
    ...(result.nextCursor === undefined ? {} : { next_cursor: result.nextCursor }),
    ...(result.corrections === undefined || result.corrections.length === 0
      ? {}
      : { corrections: result.corrections.map((c) => ({ from: c.from, to: c.to })) }),
  };
}

function badge(item: Summary): string {
  if (item.sold_out) return ' — SOLD OUT';
  return item.available_now ? '' : ' — not available right now';
}

/** Plain text of search results, readable in any chat. */
export function searchText(result: ReturnType<typeof searchResult>, query: string | undefined): string {
  if (result.items.length === 0) {
    return query === undefined || query === ''
      ? 'No menu items match these filters.'
      : `Nothing on the menu matches "${query}". Try a broader word or fewer filters.`;
  }
  const lines = result.items.map(
    (i) =>
      `- ${i.name} (${i.item_id}) ${i.price.display}${badge(i)}${i.dietary.length > 0 ? ` [${i.dietary.join(', ')}]` : ''}${i.has_options ? ' · has options' : ''}`,
  );
  const corrected = result.corrections?.map((c) => `"${c.from}" → "${c.to}"`).join(', ');
  const head = corrected === undefined ? '' : `Showing results for ${corrected}.\n`;
  const more =
    result.next_cursor === undefined
      ? ''
      : `\n${result.total - result.items.length}+ more: pass cursor "${result.next_cursor}".`;
  return `${head}${result.total} item(s):\n${lines.join('\n')}${more}`;
}

/** Plain text of one item with its options. */
export function itemText(item: Detail): string {
  const head = `${item.name} (${item.item_id}) — ${item.price.display}${badge(item)}\n${item.description}`;
  const facts = [
    item.dietary.length > 0 ? `Dietary: ${item.dietary.join(', ')}` : undefined,
    `Allergens: ${item.allergens.length > 0 ? item.allergens.join(', ') : 'none declared'}`,
    item.available_from === undefined ? undefined : `Available from ${item.available_from}`,
  ].filter((x) => x !== undefined);
  const groups = item.modifier_groups.map((g) => {
    const rule =
      g.min === 0
        ? `optional, up to ${g.max}`
        : g.min === g.max
          ? `choose ${g.min}`
          : `choose ${g.min}–${g.max}`;
    const options = g.options
      .map(
        (o) =>
          `${o.name} (${o.option_id})${o.price.amount === 0 ? '' : ` +${o.price.display}`}${o.is_default ? ' [default]' : ''}${o.sold_out ? ' [sold out]' : ''}`,
      )
      .join('; ');
    return `- ${g.name} (${rule}): ${options}`;
  });
  return [head, ...facts, ...(groups.length > 0 ? ['Options:', ...groups] : ['No options.'])].join('\n');
}
