import { AppError } from '../../domain/app-error.js';
import { channelOfSubject } from '../../domain/day-report.js';
import type { DiscountedOrder, OfferContext } from '../../domain/offer-types.js';
import type { Order } from '../../domain/order.js';
import { earnsStamp, type StampCard } from '../../domain/stamp-card.js';
import type { Clock } from '../../platform/clock.js';
import type { OrdersRepo } from '../../store/orders-repo.js';
import type { StampsRepo } from '../../store/stamps-repo.js';
import type { OrderEvents } from '../orders/order-events.js';

/** A signed-in customer's card: stamps so far (free ones), how many make it full, and whether a reward waits. */
export interface StampStatus {
  readonly card: StampCard;
  readonly stamps: number;
  readonly rewardWaiting: boolean;
}

/** The stamp card: stamps counted when orders are paid, the reward priced on the next order. */
export interface StampCardService {
  card(): StampCard | undefined;
  saveCard(card: StampCard): void;
  /** The card as `subject` holds it; undefined while the card is off or for a customer not signed in. */
  statusOf(subject: string): StampStatus | undefined;
  /** The reward pricing applies for `subject`, if one waits. */
  rewardFor(subject: string): OfferContext['stampReward'];
  /** Spends the stamps on an order priced with the reward; call it inside the placing transaction. */
  hold(order: Order, priced: DiscountedOrder, subject: string): void;
}

export interface StampCardDeps {
  readonly stamps: StampsRepo;
  readonly orders: Pick<OrdersRepo, 'subjectOf'>;
  readonly clock: Clock;
  /** Stamps are counted in the transaction that pays an order, and taken back when it is refunded. */
  readonly orderEvents?: Pick<OrderEvents, 'on'>;
}

/** The reward's name on orders and receipts. */
export const STAMP_REWARD_NAME = 'Stamp card reward';

/**
 * Only an assistant's signed-in customer collects stamps: an ACP checkout's customer is its session (see
 * checkout-place.ts) and a staff order's a one-off placeholder (see staff-orders.ts), never a person's sign-in.
 */
const signedIn = (subject: string) => channelOfSubject(subject) === 'mcp';

const AFTER_PAYMENT = new Set(['paid', 'in_kitchen', 'ready', 'collected']);

/** Creates the stamp card service and subscribes it to order moves. */
export function createStampCardService(deps: StampCardDeps): StampCardService {
  const { stamps, clock } = deps;
  const subjectOf = (order: Order) => deps.orders.subjectOf(order.customerId) ?? order.customerId;

  deps.orderEvents?.on((order, from) => {
    if (order.state === 'paid') {
      const card = stamps.card();
      const subject = subjectOf(order);
      const subtotal = order.priced?.totals.subtotal ?? 0;
      if (card !== undefined && signedIn(subject) && earnsStamp(card, subtotal)) {
        stamps.addStamp(order.id, subject, clock.now().getTime());
      }
    } else if (from === 'awaiting_confirmation') {
      stamps.giveBack(order.id);
    } else if (AFTER_PAYMENT.has(from) && (order.state === 'refunded' || order.state === 'canceled')) {
      // The money went back: the stamp it earned goes too (unless its reward was had), and a reward
      // it used is the customer's again.
      stamps.removeUnspent(order.id);
      stamps.giveBack(order.id);
    }
  });

  const service: StampCardService = {
    card: () => stamps.card(),
    saveCard: (card) => stamps.saveCard(card, clock.now().getTime()),
    statusOf(subject) {
      const card = stamps.card();
      if (card === undefined || !card.enabled || !signedIn(subject)) return undefined;
      const count = stamps.freeCount(subject);
      return { card, stamps: count, rewardWaiting: count >= card.stamps };
    },
    rewardFor(subject) {
      const status = service.statusOf(subject);
      if (status === undefined || !status.rewardWaiting) return undefined;
      return { reward: status.card.reward, name: STAMP_REWARD_NAME };
    },
    hold(order, priced, subject) {
      if (!priced.applied.some((a) => a.kind === 'stamp_card')) return;
      const card = stamps.card();
      if (card !== undefined && stamps.spend(order.id, subject, card.stamps)) return;
      throw new AppError(
        'order_invalid',
        'The stamp card’s reward was just used by another order of this customer. Nothing was charged and the order was not placed: read it again (it is now priced without the reward) and place it again if the customer agrees.',
      );
    },
  };
  return service;
}
