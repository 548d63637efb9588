/** The menu as the domain sees it. Ids are stable slugs chosen by the owner ("cheeseburger"). */

/** Days of the week, Monday first, as they appear in settings and CSV files. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Dietary tags a customer can filter on. */
export const DIETARY_TAGS = [
  'vegan',
  'vegetarian',
  'gluten-free',
  'dairy-free',
  'nut-free',
  'halal',
  'kosher',
  'spicy',
] as const;
export type DietaryTag = (typeof DIETARY_TAGS)[number];

/** The 14 allergens EU law requires a food business to declare. */
export const ALLERGENS = [
  'gluten',
  'crustaceans',
  'eggs',
  'fish',
  'peanuts',
  'soy',
  'milk',
  'nuts',
  'celery',
  'mustard',
  'sesame',
  'sulphites',
  'lupin',
  'molluscs',
] as const;
export type Allergen = (typeof ALLERGENS)[number];

/** A window in which some items can be ordered ("Breakfast, every day 06:00–11:00"). */
export interface Daypart {
  readonly id: string;
  readonly name: string;
  readonly days: readonly Weekday[];
  /** Local shop time "HH:MM", inclusive. */
  readonly start: string;
  /** Local shop time "HH:MM", exclusive; "24:00" means midnight. */
  readonly end: string;
}

export interface Category {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly sort: number;
  /** Tax rate id from the shop's tax settings; undefined uses the default rate. */
  readonly taxRateId: string | undefined;
  /** When set, every item of the category is only orderable inside this daypart. */
  readonly daypartId: string | undefined;
}

export interface ModifierOption {
  readonly id: string;
  readonly groupId: string;
  readonly name: string;
  /** Added to the item's price per unit, in minor units (0 for "No onions"). */
  readonly price: number;
  readonly isDefault: boolean;
  readonly soldOut: boolean;
  readonly sort: number;
}

export interface ModifierGroup {
  readonly id: string;
  readonly name: string;
  /** `single`: pick at most one (a radio list); `multiple`: checkboxes. */
  readonly selection: 'single' | 'multiple';
  readonly min: number;
  readonly max: number;
  readonly sort: number;
  readonly options: readonly ModifierOption[];
}

export interface MenuItem {
  readonly id: string;
  readonly categoryId: string;
  readonly name: string;
  readonly description: string;
  /** Unit price in minor units of the shop currency. */
  readonly price: number;
  readonly imageUrl: string | undefined;
  readonly dietary: readonly DietaryTag[];
  readonly allergens: readonly Allergen[];
  readonly soldOut: boolean;
  readonly sort: number;
  /** Overrides the category's daypart. */
  readonly daypartId: string | undefined;
  /** Group ids, in display order. */
  readonly modifierGroupIds: readonly string[];
  /** Most units of this item on one order line. */
  readonly maxQuantity: number;
}

/** The whole menu, as imported, exported and seeded. */
export interface Menu {
  readonly dayparts: readonly Daypart[];
  readonly categories: readonly Category[];
  readonly modifierGroups: readonly ModifierGroup[];
  readonly items: readonly MenuItem[];
}

/** Default cap on units of one item on one line when the menu does not set one. */
export const DEFAULT_MAX_QUANTITY = 20;
