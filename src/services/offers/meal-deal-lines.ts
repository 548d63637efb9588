import { AppError } from '../../domain/app-error.js';
import type { MenuIndex } from '../../domain/menu-index.js';
import type { MealDeal, MealDealSlot } from '../../domain/offer-types.js';
import type { LineInput } from '../orders/order-types.js';

/** The menu items a slot may be filled with, by name, for a message that lists the choices. */
function choicesOf(slot: MealDealSlot, menu: MenuIndex): string {
  const items = [...menu.items.values()].filter(
    (item) => slot.itemIds.includes(item.id) || slot.categoryIds.includes(item.categoryId),
  );
  return items.map((item) => `${item.id} (${item.name})`).join(', ') || 'none on the menu now';
}

function refuse(deal: MealDeal, message: string, menu: MenuIndex): AppError {
  const slots = deal.slots.map((s, i) => `${i + 1}. ${s.name}: ${choicesOf(s, menu)}`).join('; ');
  return new AppError(
    'invalid_input',
    `${message} Meal deal "${deal.name}" takes one choice per slot, in order: ${slots}.`,
    {
      violations: [{ code: 'invalid_input', message, path: 'choices' }],
    },
  );
}

/**
 * A meal deal ordered as one line with its choices (one per slot, in the deal's order, each an item with
 * its own option ids like any line) becomes one line per part; pricing then finds the bundle in them and
 * takes the deal's saving off the parts.
 */
export function expandMealDeal(deal: MealDeal, line: LineInput, menu: MenuIndex): LineInput[] {
  const choices = line.choices ?? [];
  if (choices.length !== deal.slots.length) {
    throw refuse(
      deal,
      `Meal deal "${deal.name}" needs ${deal.slots.length} choices; ${choices.length} were given.`,
      menu,
    );
  }
  return choices.map((choice, i) => {
    const slot = deal.slots[i] as MealDealSlot;
    const item = menu.items.get(choice.itemId);
    const fits =
      item !== undefined && (slot.itemIds.includes(item.id) || slot.categoryIds.includes(item.categoryId));
    if (!fits) throw refuse(deal, `"${choice.itemId}" is not a choice for "${slot.name}".`, menu);
    return {
      itemId: choice.itemId,
      quantity: line.quantity,
      optionIds: choice.optionIds,
      note: choice.note ?? line.note,
    };
  });
}
