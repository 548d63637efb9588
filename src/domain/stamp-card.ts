import { allocate, type OfferLine } from './offer-lines.js';
import type { AppliedOffer, StampReward } from './offer-types.js';

/** The owner's stamp card: a stamp per paid order of at least `minimum`; `stamps` of them give the reward. */
export interface StampCard {
  readonly enabled: boolean;
  /** Smallest item subtotal after discounts, in minor units, that earns a stamp. */
  readonly minimum: number;
  readonly stamps: number;
  readonly reward: StampReward;
}

/** The offer id a stamp card's reward shows under in `applied`. */
export const STAMP_CARD_OFFER_ID = 'stamp-card';

/** Whether a paid order with this item subtotal (after discounts) earns a stamp. */
export function earnsStamp(card: StampCard, subtotal: number): boolean {
  return card.enabled && subtotal > 0 && subtotal >= card.minimum;
}

/**
 * The waiting reward applied to what the lines still cost after every other offer: an item reward
 * takes one unit of that item's own price (options stay charged) off the dearest such line; an amount
 * is spread over the lines in proportion. Undefined when the order has nothing it can take from.
 */
export function applyStampReward(
  reward: StampReward,
  name: string,
  lines: readonly OfferLine[],
  remaining: readonly number[],
): AppliedOffer | undefined {
  const discounts =
    reward.kind === 'item'
      ? itemRewardLines(reward.itemId, lines, remaining)
      : amountLines(reward.amount, remaining);
  if (discounts.length === 0) return undefined;
  return {
    offerId: STAMP_CARD_OFFER_ID,
    kind: 'stamp_card',
    name,
    amount: discounts.reduce((sum, d) => sum + d.amount, 0),
    lines: discounts,
  };
}

function itemRewardLines(itemId: string, lines: readonly OfferLine[], remaining: readonly number[]) {
  const line = lines
    .filter((l) => l.itemId === itemId && (remaining[l.index] ?? 0) > 0)
    .sort((a, b) => b.basePrice - a.basePrice || a.index - b.index)[0];
  if (line === undefined) return [];
  const amount = Math.min(line.basePrice, remaining[line.index] ?? 0);
  return amount > 0 ? [{ lineIndex: line.index, amount }] : [];
}

function amountLines(amount: number, remaining: readonly number[]) {
  const left = remaining.map((r) => Math.max(0, r));
  const total = left.reduce((a, b) => a + b, 0);
  return allocate(Math.min(amount, total), left)
    .map((share, lineIndex) => ({ lineIndex, amount: share }))
    .filter((d) => d.amount > 0);
}
