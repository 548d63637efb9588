import type { MenuItem } from '../../domain/catalog.js';
import { daypartOf, groupsOf, type MenuIndex } from '../../domain/menu-index.js';
import { validateOrder } from '../../domain/order-rules.js';
import type { ShopCalendar } from '../../domain/shop-calendar.js';
import type { ShopSettings } from '../../domain/shop-settings.js';
import type { Clock } from '../../platform/clock.js';
import type { ShopService } from '../shop/shop-service.js';
import type { FeedSales } from './feed-sales.js';
import type { MenuCache } from './menu-cache.js';

/** The shop publishes one feed, its whole menu; the id never changes (ACP feeds RFC §3.1: stable). */
export const SHOP_FEED_ID = 'menu';

/** `FeedMetadata` of ACP schema.feed.json. */
export interface FeedMetadata {
  readonly id: string;
  readonly target_country?: string;
  readonly updated_at: string;
}

/** `Variant` of ACP schema.feed.json, the fields a menu item fills. */
export interface FeedVariant {
  readonly id: string;
  readonly title: string;
  /** The active selling price: the sale price while an automatic offer holds on the item. */
  readonly price: { readonly amount: number; readonly currency: string };
  /** The menu price, during a sale only ("reference or pre-discount price"). */
  readonly list_price?: { readonly amount: number; readonly currency: string };
  readonly availability: { readonly available: boolean; readonly status?: 'in_stock' | 'out_of_stock' };
  readonly categories: readonly { readonly value: string; readonly taxonomy: string }[];
  readonly variant_options?: readonly { readonly name: string; readonly value: string }[];
  readonly seller: { readonly name: string };
}

/** `Product` of ACP schema.feed.json: one menu item with its one variant. */
export interface FeedProduct {
  readonly id: string;
  readonly title: string;
  readonly description?: { readonly plain: string };
  readonly media?: readonly { readonly type: 'image'; readonly url: string; readonly alt_text: string }[];
  readonly variants: readonly FeedVariant[];
}

/** What the mapping reads besides the menu. */
export interface FeedShop {
  readonly settings: ShopSettings;
  readonly calendar: ShopCalendar;
  /** Items on sale now (an automatic offer holds on them), with their sale price. */
  readonly sales?: ReadonlyMap<string, number>;
}

/**
 * Every menu item as a feed product, in menu order (category, then item). The product and its single
 * variant carry the item id, which is what ACP checkout takes as `items[].id` (feeds RFC §3.2). A
 * checkout item has no options, so the variant is the item with its default options: those are its
 * `variant_options`, and it is available only when ordering it that way passes the order rules.
 */
export function menuProducts(index: MenuIndex, shop: FeedShop): FeedProduct[] {
  const categorySort = (item: MenuItem) => index.categories.get(item.categoryId)?.sort ?? 0;
  return [...index.menu.items]
    .sort((a, b) => categorySort(a) - categorySort(b) || a.sort - b.sort)
    .map((item) => productOf(item, index, shop));
}

function productOf(item: MenuItem, index: MenuIndex, shop: FeedShop): FeedProduct {
  const description = describe(item, index, shop.settings);
  return {
    id: item.id,
    title: item.name,
    ...(description === '' ? {} : { description: { plain: description } }),
    ...(item.imageUrl === undefined
      ? {}
      : { media: [{ type: 'image' as const, url: item.imageUrl, alt_text: item.name }] }),
    variants: [variantOf(item, index, shop)],
  };
}

function variantOf(item: MenuItem, index: MenuIndex, shop: FeedShop): FeedVariant {
  const category = index.categories.get(item.categoryId);
  const options = defaultOptions(item, index);
  const currency = shop.settings.profile.currency;
  const sale = shop.sales?.get(item.id);
  return {
    id: item.id,
    title: item.name,
    price: { amount: sale ?? item.price, currency },
    ...(sale === undefined ? {} : { list_price: { amount: item.price, currency } }),
    availability: availabilityOf(item, index, shop),
    categories: [
      ...(category === undefined ? [] : [{ value: category.name, taxonomy: 'merchant' }]),
      ...item.dietary.map((tag) => ({ value: tag, taxonomy: 'dietary' })),
    ],
    ...(options.length === 0 ? {} : { variant_options: options }),
    seller: { name: shop.settings.profile.name },
  };
}

/** The owner's text, then what a customer must know before ordering food: diet, allergens, serving hours. */
function describe(item: MenuItem, index: MenuIndex, settings: ShopSettings): string {
  const lines = [item.description.trim()];
  if (item.dietary.length > 0) lines.push(`Dietary: ${item.dietary.join(', ')}.`);
  if (item.allergens.length > 0) lines.push(`Allergens: ${item.allergens.join(', ')}.`);
  const daypart = daypartOf(item, index);
  if (daypart !== undefined) {
    const days = daypart.days.length === 7 ? '' : ` on ${daypart.days.join(', ')}`;
    lines.push(
      `Served during ${daypart.name}: ${daypart.start}–${daypart.end}${days} (${settings.hours.timezone}).`,
    );
  }
  return lines.filter((line) => line !== '').join('\n');
}

/** Groups the item starts with a choice in (Patty: Beef), as ordering it by id alone gets them. */
function defaultOptions(item: MenuItem, index: MenuIndex): { name: string; value: string }[] {
  return groupsOf(item, index.groups).flatMap((group) => {
    const chosen = group.options.filter((o) => o.isDefault).sort((a, b) => a.sort - b.sort);
    return chosen.length === 0 ? [] : [{ name: group.name, value: chosen.map((o) => o.name).join(', ') }];
  });
}

/**
 * The order rules decide, as for a real order of one unit with no options chosen. Hours and dayparts
 * are left out (`placing: false`): a feed describes the menu, not this minute.
 */
function availabilityOf(item: MenuItem, index: MenuIndex, shop: FeedShop): FeedVariant['availability'] {
  const { settings, calendar } = shop;
  const codes = validateOrder({
    lines: [{ itemId: item.id, quantity: 1, optionIds: [] }],
    menu: index,
    limits: settings.limits,
    calendar,
    now: new Date(0),
    placing: false,
    pausedByOwner: settings.pausedByOwner,
    currency: settings.profile.currency,
    locale: settings.profile.locale,
  }).map((v) => v.code);
  if (codes.length === 0) return { available: true, status: 'in_stock' };
  if (codes.includes('item_sold_out') || codes.includes('option_sold_out')) {
    return { available: false, status: 'out_of_stock' };
  }
  // Not orderable by id alone (a required choice has no default), yet nothing ran out.
  return { available: false };
}

/** The market of the shop's locale ("en-US" → "US"); none when the locale names no country. */
export function targetCountry(locale: string): string | undefined {
  try {
    const region = new Intl.Locale(locale).region;
    return region !== undefined && /^[A-Z]{2}$/.test(region) ? region : undefined;
  } catch {
    return undefined;
  }
}

/** The shop's feed, rebuilt only when the menu or the settings change. */
export interface ProductFeed {
  metadata(): FeedMetadata;
  products(): readonly FeedProduct[];
  /** The `ProductsResponse` body, serialized once per change. */
  productsJson(): string;
}

/**
 * Creates the feed over the cached menu and shop settings, with sale prices while automatic offers hold
 * (`sales`); `updated_at` is when its products last changed, a sale starting or ending included.
 */
export function createProductFeed({
  menu,
  shop,
  clock,
  sales,
}: {
  menu: Pick<MenuCache, 'index'>;
  shop: Pick<ShopService, 'settings' | 'calendar'>;
  clock: Clock;
  sales?: FeedSales;
}): ProductFeed {
  let builtFrom: { index: MenuIndex; settings: ShopSettings; sale: string } | undefined;
  let current = { products: [] as FeedProduct[], json: '', updatedAt: clock.now(), country: '' };

  const fresh = () => {
    const index = menu.index();
    const settings = shop.settings();
    const sale = sales?.key() ?? '';
    if (builtFrom?.index === index && builtFrom.settings === settings && builtFrom.sale === sale) {
      return current;
    }
    const products = menuProducts(index, {
      settings,
      calendar: shop.calendar(),
      sales: sales?.prices(index, settings),
    });
    const json = JSON.stringify({ products });
    // A new menu version with the same content (an import of the same file) is not an update.
    const changed = builtFrom === undefined || json !== current.json;
    current = {
      products,
      json,
      updatedAt: changed ? clock.now() : current.updatedAt,
      country: targetCountry(settings.profile.locale) ?? '',
    };
    builtFrom = { index, settings, sale };
    return current;
  };

  return {
    metadata() {
      const { country, updatedAt } = fresh();
      return {
        id: SHOP_FEED_ID,
        ...(country === '' ? {} : { target_country: country }),
        updated_at: updatedAt.toISOString(),
      };
    },
    products: () => fresh().products,
    productsJson: () => fresh().json,
  };
}
