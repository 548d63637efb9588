import type { Allergen, Daypart, DietaryTag, MenuItem } from '../../domain/catalog.js';
import type { ShopCalendar } from '../../domain/shop-calendar.js';

/** The structured filters of a menu search; every one given must hold. */
export interface MenuFilters {
  readonly categoryId?: string;
  /** Every tag must apply (a vegan item counts as vegetarian and dairy-free). */
  readonly dietary?: readonly DietaryTag[];
  /** None of these may be among the item's declared allergens. */
  readonly excludeAllergens?: readonly Allergen[];
  /** Highest unit price, in minor units. */
  readonly maxPrice?: number;
  /** Only items orderable at `now`: not sold out and inside their daypart, in the shop's time zone. */
  readonly availableNow?: { readonly now: Date; readonly timezone: string };
}

/** What the filter needs to know about the menu beyond an item itself. */
export interface FilterContext {
  dietaryOf(item: MenuItem): ReadonlySet<DietaryTag>;
  /** The daypart that limits the item (its own, else its category's), if any. */
  daypartOf(item: MenuItem): Daypart | undefined;
  calendarFor(timezone: string): ShopCalendar;
}

type Check = (item: MenuItem) => boolean;

/** One predicate for all given filters, or undefined when there are none (the caller skips filtering). */
export function itemFilter(filters: MenuFilters, context: FilterContext): Check | undefined {
  const checks: Check[] = [];
  const { categoryId, dietary, excludeAllergens, maxPrice, availableNow } = filters;
  if (categoryId !== undefined) checks.push((item) => item.categoryId === categoryId);
  if (dietary !== undefined && dietary.length > 0) {
    checks.push((item) => {
      const tags = context.dietaryOf(item);
      return dietary.every((tag) => tags.has(tag));
    });
  }
  if (excludeAllergens !== undefined && excludeAllergens.length > 0) {
    const excluded = new Set<Allergen>(excludeAllergens);
    checks.push((item) => !item.allergens.some((allergen) => excluded.has(allergen)));
  }
  if (maxPrice !== undefined) checks.push((item) => item.price <= maxPrice);
  if (availableNow !== undefined) checks.push(availability(availableNow.now, availableNow.timezone, context));
  if (checks.length <= 1) return checks[0];
  return (item) => checks.every((check) => check(item));
}

function availability(now: Date, timezone: string, context: FilterContext): Check {
  const calendar = context.calendarFor(timezone);
  // A menu has a handful of dayparts: decide each once per search, not once per item.
  const inside = new Map<string, boolean>();
  return (item) => {
    if (item.soldOut) return false;
    const daypart = context.daypartOf(item);
    if (daypart === undefined) return true;
    let open = inside.get(daypart.id);
    if (open === undefined) {
      open = calendar.isInDaypart(daypart, now);
      inside.set(daypart.id, open);
    }
    return open;
  };
}
