import { WEEKDAYS } from './catalog.js';
import { inScope, type OfferLine, percentOff } from './offer-lines.js';
import type { AppliedOffer, AutomaticOffer, LineDiscount, OfferWindow } from './offer-types.js';
import { type LocalParts, parseClock } from './shop-calendar.js';

/** True when a local shop time falls in the window: start inclusive, end exclusive. */
export function inOfferWindow(window: OfferWindow, local: LocalParts): boolean {
  const start = parseClock(window.start);
  const end = parseClock(window.end);
  if (end > start)
    return window.days.includes(local.weekday) && local.minutes >= start && local.minutes < end;
  // Past midnight: the early hours belong to the window that opened the day before.
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(local.weekday) + 6) % 7] ?? 'sun';
  return (
    (window.days.includes(local.weekday) && local.minutes >= start) ||
    (window.days.includes(yesterday) && local.minutes < end)
  );
}

/** Units a line still has for automatic offers once meal deals took theirs. */
function freeUnits(line: OfferLine, unitsInDeals: readonly number[]): number {
  return line.quantity - (unitsInDeals[line.index] ?? 0);
}

/** Per line (by index), what one automatic offer would take off at `local` time. */
function offerDiscounts(
  offer: AutomaticOffer,
  lines: readonly OfferLine[],
  unitsInDeals: readonly number[],
  local: LocalParts,
): Map<number, number> {
  const result = new Map<number, number>();
  const eligible = lines.filter((line) => inScope(offer.scope, line) && freeUnits(line, unitsInDeals) > 0);
  if (offer.kind === 'happy_hour') {
    if (!offer.windows.some((window) => inOfferWindow(window, local))) return result;
    for (const line of eligible) {
      result.set(line.index, percentOff(freeUnits(line, unitsInDeals) * line.unitPrice, offer.percent));
    }
    return result;
  }
  // Units dearest first: every nth of them is the cheaper one of its group, and that one gets the discount.
  const units = eligible
    .flatMap((line) => Array.from({ length: freeUnits(line, unitsInDeals) }, () => line))
    .sort((a, b) => b.unitPrice - a.unitPrice || a.index - b.index);
  const counts = new Map<number, number>();
  units.forEach((line, k) => {
    if ((k + 1) % offer.nth === 0) counts.set(line.index, (counts.get(line.index) ?? 0) + 1);
  });
  for (const line of eligible) {
    const count = counts.get(line.index) ?? 0;
    if (count > 0) result.set(line.index, percentOff(count * line.unitPrice, offer.percent));
  }
  return result;
}

/**
 * Automatic offers do not add up on one line: each line gets the one offer that takes the most off it
 * (the earlier offer on a tie). Units inside meal deals are left out, since a deal is already their price.
 */
export function applyAutomaticOffers(
  offers: readonly AutomaticOffer[],
  lines: readonly OfferLine[],
  unitsInDeals: readonly number[],
  local: LocalParts,
): AppliedOffer[] {
  const perOffer = offers.map((offer) => offerDiscounts(offer, lines, unitsInDeals, local));
  const won: LineDiscount[][] = offers.map(() => []);
  for (const line of lines) {
    let best = -1;
    let bestAmount = 0;
    perOffer.forEach((discounts, k) => {
      const amount = discounts.get(line.index) ?? 0;
      if (amount > bestAmount) [best, bestAmount] = [k, amount];
    });
    if (best >= 0) won[best]?.push({ lineIndex: line.index, amount: bestAmount });
  }
  return offers.flatMap((offer, k) => {
    const discounts = won[k] ?? [];
    if (discounts.length === 0) return [];
    return [
      {
        offerId: offer.id,
        kind: offer.kind,
        name: offer.name,
        amount: discounts.reduce((sum, d) => sum + d.amount, 0),
        lines: discounts,
      },
    ];
  });
}
