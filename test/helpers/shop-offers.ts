import type { Store } from '../../src/store/database.js';
import type { StoredOffer } from '../../src/store/offer-rules.js';
import { createOffersRepo } from '../../src/store/offers-repo.js';

const promoRule = {
  scope: { kind: 'order' } as const,
  minimumSubtotal: 0,
  combinesWith: { codes: false, mealDeals: false },
};

/**
 * The offers the MCP and ACP offer tests order against, written at `nowMs`: a weekday happy hour on
 * drinks (17:00–19:00, 25 % off), a $12.00 lunch deal (cheeseburger, a side, a drink), and codes
 * WELCOME (10 %, once per customer), BIG5 ($5 off $20) and the single-use batch code FLY-7Q2K ($3 off).
 */
export function seedShopOffers(store: Store, nowMs: number): void {
  const offers = createOffersRepo({ store });
  const offer = (o: StoredOffer) => offers.insert(o, nowMs);
  offer({
    kind: 'automatic',
    offer: {
      kind: 'happy_hour',
      id: 'happy-hour',
      name: 'Happy hour',
      percent: 25,
      scope: { kind: 'items', itemIds: [], categoryIds: ['drinks'] },
      windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '17:00', end: '19:00' }],
    },
  });
  offer({
    kind: 'meal_deal',
    offer: {
      id: 'lunch-deal',
      name: 'Lunch deal',
      price: { kind: 'fixed', amount: 1200 },
      slots: [
        { name: 'Burger', itemIds: ['cheeseburger'], categoryIds: [] },
        { name: 'Side', itemIds: [], categoryIds: ['sides'] },
        { name: 'Drink', itemIds: [], categoryIds: ['drinks'] },
      ],
    },
  });
  offer({
    kind: 'promo_code',
    offer: {
      id: 'welcome',
      name: 'Welcome 10 %',
      value: { kind: 'percent', percent: 10 },
      limits: { perCustomer: 1 },
      ...promoRule,
    },
  });
  offers.addCodes('welcome', [{ id: 'code-welcome', code: 'WELCOME' }], nowMs);
  offer({
    kind: 'promo_code',
    offer: {
      id: 'big',
      name: '$5 off $20',
      value: { kind: 'amount', amount: 500 },
      limits: {},
      ...promoRule,
      minimumSubtotal: 2000,
    },
  });
  offers.addCodes('big', [{ id: 'code-big', code: 'BIG5' }], nowMs);
  offer({
    kind: 'promo_code',
    offer: {
      id: 'flyer',
      name: 'Flyer $3 off',
      value: { kind: 'amount', amount: 300 },
      limits: {},
      ...promoRule,
    },
  });
  offers.addCodes('flyer', [{ id: 'flyer-1', code: 'FLY-7Q2K' }], nowMs, 'batch-1');
}
