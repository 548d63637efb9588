import type { Violation } from './app-error.js';
import type { MenuItem, ModifierGroup, ModifierOption } from './catalog.js';
import { daypartOf, groupsOf, type MenuIndex, resolveOptions } from './menu-index.js';
import { formatMoney } from './money.js';
import type { ShopCalendar } from './shop-calendar.js';
import type { OrderLimits } from './shop-settings.js';

/** A line as the customer asked for it, before anything is checked. */
export interface DraftLine {
  readonly itemId: string;
  readonly quantity: number;
  readonly optionIds: readonly string[];
  readonly note?: string | undefined;
}

export interface OrderContext {
  readonly lines: readonly DraftLine[];
  readonly menu: MenuIndex;
  readonly limits: OrderLimits;
  readonly calendar: ShopCalendar;
  readonly now: Date;
  /** true when the order is being placed: the shop must be open and every item inside its daypart. */
  readonly placing: boolean;
  readonly pausedByOwner: boolean;
  /** When the food will be collected; dayparts are checked against it (defaults to `now`). */
  readonly pickupAt?: Date | undefined;
  readonly currency: string;
  /** BCP 47 tag for money and times in messages. */
  readonly locale: string;
}

/** Joins names the way a person writes them: "A", "A or B", "A, B or C". */
function joinWords(words: readonly string[], conjunction: 'and' | 'or'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words.at(-1)}`;
}

function optionLabel(option: ModifierOption, ctx: OrderContext): string {
  return option.price === 0
    ? option.name
    : `${option.name} (+${formatMoney(option.price, ctx.currency, ctx.locale)})`;
}

function availableNames(group: ModifierGroup, ctx: OrderContext): string {
  return joinWords(
    group.options.filter((o) => !o.soldOut).map((o) => optionLabel(o, ctx)),
    'or',
  );
}

function describeGroups(item: MenuItem, ctx: OrderContext): string {
  const groups = groupsOf(item, ctx.menu.groups);
  if (groups.length === 0) return `"${item.name}" has no options.`;
  return `Options for "${item.name}": ${groups.map((g) => `${g.name}: ${availableNames(g, ctx)}`).join('; ')}.`;
}

function violation(code: Violation['code'], message: string, path?: string, suggestion?: string): Violation {
  return {
    code,
    message,
    ...(path === undefined ? {} : { path }),
    ...(suggestion === undefined ? {} : { suggestion }),
  };
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Items whose name or id shares words with what the customer typed, best first. */
function similarItems(query: string, index: MenuIndex): MenuItem[] {
  const wanted = words(query);
  const score = (item: MenuItem): number => {
    const have = [...words(item.name), ...words(item.id)];
    const close = (w: string) =>
      have.some((h) => h === w || (w.length >= 3 && (h.startsWith(w) || w.startsWith(h))));
    return wanted.filter(close).length;
  };
  return index.menu.items
    .filter((item) => !item.soldOut)
    .map((item) => ({ item, score: score(item) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.item.sort - b.item.sort)
    .slice(0, 3)
    .map((s) => s.item);
}

function itemViolations(item: MenuItem, at: string, ctx: OrderContext): Violation[] {
  const money = (i: MenuItem) => `${i.name} (${formatMoney(i.price, ctx.currency, ctx.locale)})`;
  if (item.soldOut) {
    const others = ctx.menu.menu.items
      .filter((i) => i.categoryId === item.categoryId && i.id !== item.id && !i.soldOut)
      .sort((a, b) => a.sort - b.sort)
      .slice(0, 3);
    const suggestion = others.length > 0 ? `Try ${joinWords(others.map(money), 'or')}.` : undefined;
    return [violation('item_sold_out', `"${item.name}" is sold out.`, at, suggestion)];
  }
  const daypart = daypartOf(item, ctx.menu);
  const when = ctx.pickupAt ?? ctx.now;
  if (!ctx.placing || daypart === undefined || ctx.calendar.isInDaypart(daypart, when)) return [];
  const next = ctx.calendar.nextDaypartStart(daypart, when);
  const message = `"${item.name}" is only served during ${daypart.name} (${daypart.start}–${daypart.end}).`;
  const suggestion = next && `Available from ${ctx.calendar.formatLocal(next, ctx.locale)}.`;
  return [violation('item_unavailable_now', message, at, suggestion)];
}

function optionViolations(item: MenuItem, line: DraftLine, at: string, ctx: OrderContext): Violation[] {
  const { options, unknownIds } = resolveOptions(item, ctx.menu.groups, line.optionIds);
  const violations = unknownIds.map((id) => {
    const elsewhere = ctx.menu.options.get(id);
    return elsewhere === undefined
      ? violation('option_not_found', `There is no option "${id}".`, at, describeGroups(item, ctx))
      : violation(
          'option_not_allowed',
          `"${elsewhere.name}" is not an option for "${item.name}".`,
          at,
          describeGroups(item, ctx),
        );
  });
  for (const group of groupsOf(item, ctx.menu.groups)) {
    const chosen = options.filter((o) => o.groupId === group.id);
    for (const o of chosen.filter((c) => c.soldOut)) {
      const suggestion = `Choose another "${group.name}": ${availableNames(group, ctx)}.`;
      const message = `"${o.name}" (${group.name}) is sold out.`;
      violations.push(violation('option_sold_out', message, at, suggestion));
    }
    violations.push(...groupCountViolations(group, chosen, at, ctx));
  }
  return violations;
}

function groupCountViolations(
  group: ModifierGroup,
  chosen: readonly ModifierOption[],
  at: string,
  ctx: OrderContext,
): Violation[] {
  const max = group.selection === 'single' ? Math.min(group.max, 1) : group.max;
  const plural = (n: number) => `${n} option${n === 1 ? '' : 's'}`;
  // Worded only when a rule is broken: most lines break none, and naming the choices formats money.
  const choices = () => `"${group.name}" (${availableNames(group, ctx)})`;
  if (chosen.length < group.min) {
    return [violation('modifier_min', `Choose at least ${plural(group.min)} for ${choices()}.`, at)];
  }
  if (chosen.length > max) {
    const picked = joinWords(
      chosen.map((o) => o.name),
      'and',
    );
    const message = `Choose at most ${plural(max)} for ${choices()}; got ${chosen.length}: ${picked}.`;
    return [violation('modifier_max', message, at)];
  }
  return [];
}

function lineViolations(line: DraftLine, index: number, ctx: OrderContext): Violation[] {
  const at = `lines.${index}`;
  const item = ctx.menu.items.get(line.itemId);
  if (item === undefined) {
    const similar = similarItems(line.itemId, ctx.menu).map((i) => `${i.name} ("${i.id}")`);
    const suggestion =
      similar.length > 0 ? `Did you mean ${joinWords(similar, 'or')}?` : 'Search the menu for its id.';
    return [
      violation('item_not_found', `There is no "${line.itemId}" on the menu.`, `${at}.itemId`, suggestion),
    ];
  }
  const violations = itemViolations(item, `${at}.itemId`, ctx);
  if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > item.maxQuantity) {
    const message = `Quantity for "${item.name}" must be a whole number from 1 to ${item.maxQuantity}; got ${line.quantity}.`;
    violations.push(violation('quantity_limit', message, `${at}.quantity`));
  }
  const noteLength = [...(line.note ?? '')].length;
  if (noteLength > ctx.limits.maxNoteLength) {
    const message = `The note for "${item.name}" has ${noteLength} characters; the limit is ${ctx.limits.maxNoteLength}.`;
    violations.push(violation('note_too_long', message, `${at}.note`, 'Shorten the note.'));
  }
  violations.push(...optionViolations(item, line, `${at}.options`, ctx));
  return violations;
}

function shopViolations(ctx: OrderContext): Violation[] {
  if (!ctx.placing) return [];
  if (ctx.pausedByOwner) {
    return [
      violation('shop_closed', 'The shop is not taking orders right now.', undefined, 'Try again later.'),
    ];
  }
  if (ctx.calendar.isOpen(ctx.now)) return [];
  const next = ctx.calendar.nextOpening(ctx.now);
  const suggestion = next && `Opens ${ctx.calendar.formatLocal(next, ctx.locale)}.`;
  return [violation('shop_closed', 'The shop is closed right now.', undefined, suggestion)];
}

/** Checks a draft order against the menu, the limits and (when placing) the hours; empty means valid. */
export function validateOrder(ctx: OrderContext): Violation[] {
  const violations = shopViolations(ctx);
  if (ctx.lines.length === 0) {
    violations.push(violation('order_empty', 'The order has no items.', 'lines'));
    return violations;
  }
  ctx.lines.forEach((line, index) => {
    violations.push(...lineViolations(line, index, ctx));
  });
  const units = ctx.lines.reduce(
    (sum, l) => sum + (Number.isInteger(l.quantity) && l.quantity > 0 ? l.quantity : 0),
    0,
  );
  if (units > ctx.limits.maxItemsPerOrder) {
    const message = `An order can have at most ${ctx.limits.maxItemsPerOrder} items; this one has ${units}.`;
    violations.push(violation('quantity_limit', message, 'lines'));
  }
  return violations;
}
