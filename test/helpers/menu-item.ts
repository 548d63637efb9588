import type { MenuItem } from '../../src/domain/catalog.js';

/** A menu item for pricing and report tests: on sale, no options; `name` is the id unless given. */
export function menuItem(fields: Pick<MenuItem, 'id' | 'price'> & Partial<MenuItem>): MenuItem {
  return {
    categoryId: 'mains',
    name: fields.id,
    description: '',
    imageUrl: undefined,
    dietary: [],
    allergens: [],
    soldOut: false,
    sort: 0,
    daypartId: undefined,
    modifierGroupIds: [],
    maxQuantity: 20,
    ...fields,
  };
}
