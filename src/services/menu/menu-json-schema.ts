import { z } from 'zod';
import { ALLERGENS, DEFAULT_MAX_QUANTITY, DIETARY_TAGS, WEEKDAYS } from '../../domain/catalog.js';
import { notOneOfMessage } from './menu-draft.js';

/*
 * The JSON menu document: what `counterpi menu export --format json` writes and import reads.
 * Prices are integers in minor units of `currency` (1095 = $10.95, 1200 = ¥1200). Optional fields:
 * `sort` (default: position in its list), `description` (""), `isDefault`/`soldOut` (false),
 * `dietary`/`allergens`/`modifierGroupIds` ([]), `maxQuantity` (20), `dayparts`/`modifierGroups` ([]).
 */

const oneOf = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: (issue) => notOneOfMessage(issue.input, what, values) });

const daypartSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  days: z.array(oneOf(WEEKDAYS, 'day')),
  start: z.string(),
  end: z.string(),
});

const categorySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  description: z.string().default(''),
  sort: z.int().optional(),
  taxRateId: z.string().optional(),
  daypartId: z.string().optional(),
});

const optionSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  price: z.int(),
  isDefault: z.boolean().default(false),
  soldOut: z.boolean().default(false),
  sort: z.int().optional(),
});

const groupSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  selection: oneOf(['single', 'multiple'], 'selection'),
  min: z.int(),
  max: z.int(),
  sort: z.int().optional(),
  options: z.array(optionSchema),
});

const itemSchema = z.strictObject({
  id: z.string(),
  categoryId: z.string(),
  name: z.string(),
  description: z.string().default(''),
  price: z.int(),
  imageUrl: z.string().optional(),
  dietary: z.array(oneOf(DIETARY_TAGS, 'dietary tag')).default([]),
  allergens: z.array(oneOf(ALLERGENS, 'allergen')).default([]),
  soldOut: z.boolean().default(false),
  sort: z.int().optional(),
  daypartId: z.string().optional(),
  modifierGroupIds: z.array(z.string()).default([]),
  maxQuantity: z.int().default(DEFAULT_MAX_QUANTITY),
});

/** The top level of a menu document; the lists are read entry by entry afterwards. */
export const menuJsonDocumentSchema = z.strictObject({
  format: z.literal('counterpi-menu', {
    error: 'should be "counterpi-menu" — is this a counterpi menu file?',
  }),
  version: z.literal(1, { error: 'should be 1 — this counterpi reads version 1 menu files' }),
  currency: z.string(),
  dayparts: z.array(z.unknown()).default([]),
  categories: z.array(z.unknown()),
  modifierGroups: z.array(z.unknown()).default([]),
  items: z.array(z.unknown()).min(1, 'the menu has no items'),
});

/** The lists of a menu document, the kind of entry each holds and the schema of one entry. */
export const MENU_JSON_LISTS = {
  dayparts: { kind: 'daypart', schema: daypartSchema },
  categories: { kind: 'category', schema: categorySchema },
  modifierGroups: { kind: 'group', schema: groupSchema },
  items: { kind: 'item', schema: itemSchema },
} as const;
/** The name of a list in a menu document. */
export type MenuJsonList = keyof typeof MENU_JSON_LISTS;
/** One entry of a list, as read. */
export type MenuJsonEntry<K extends MenuJsonList> = z.output<(typeof MENU_JSON_LISTS)[K]['schema']>;

/** The field names allowed in each kind of object, to name them when an unknown one turns up. */
export const MENU_JSON_FIELDS = {
  document: Object.keys(menuJsonDocumentSchema.shape),
  option: Object.keys(optionSchema.shape),
  ...Object.fromEntries(
    Object.entries(MENU_JSON_LISTS).map(([key, list]) => [key, Object.keys(list.schema.shape)]),
  ),
} as Record<string, readonly string[]>;
