import type { MenuIndex } from '../domain/menu-index.js';
import type { StampStatus } from '../services/offers/stamp-card-service.js';
import { money } from './present-money.js';

/** What the stamp card is shown with: the menu (for the reward item's name), currency and locale. */
export interface StampShowContext {
  readonly index: MenuIndex;
  readonly currency: string;
  readonly locale: string;
}

/** The signed-in customer's stamp card as tools show it. */
export function stampCardResult(status: StampStatus, ctx: StampShowContext) {
  const { card } = status;
  const reward =
    card.reward.kind === 'item'
      ? `a free ${ctx.index.items.get(card.reward.itemId)?.name ?? card.reward.itemId} (${card.reward.itemId})`
      : `${money(card.reward.amount, ctx.currency, ctx.locale).display} off`;
  return {
    stamps: status.stamps,
    stamps_needed: card.stamps,
    minimum: money(card.minimum, ctx.currency, ctx.locale),
    reward,
    reward_waiting: status.rewardWaiting,
  };
}

/** The card in a sentence for the model. */
export function stampCardText(shown: ReturnType<typeof stampCardResult>): string {
  const earn = `a stamp per paid order of ${shown.minimum.display} or more, ${shown.stamps_needed} stamps give ${shown.reward}`;
  if (!shown.reward_waiting) return `Stamp card: ${shown.stamps} of ${shown.stamps_needed} stamps (${earn}).`;
  return `Stamp card: full (${earn}). The reward, ${shown.reward}, comes off this customer's next order by itself${shown.reward.startsWith('a free') ? ' when that item is on it' : ''}.`;
}
