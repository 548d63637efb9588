import type { MenuIndex } from '../../domain/menu-index.js';
import { priceOrderWithOffers } from '../../domain/offers.js';
import type { ShopSettings } from '../../domain/shop-settings.js';
import type { OfferService } from '../offers/offer-service.js';

/**
 * The product feed's sale prices: what one unit of an item costs while an automatic offer holds on it
 * (a happy hour in its hours), priced by the same function as an order of it.
 */
export interface FeedSales {
  /** Changes whenever the sale prices may: which automatic offers hold now, and their terms. */
  key(): string;
  /** The items whose one unit costs less than the menu price now, with that price. */
  prices(index: MenuIndex, settings: ShopSettings): ReadonlyMap<string, number>;
}

/** Who the feed's pricing is for: nobody in particular, with no code. */
const FEED_CUSTOMER = { subject: 'acp-feed' };

/** Creates the feed's sale prices over the shop's offers. */
export function createFeedSales(offers: Pick<OfferService, 'current' | 'contextFor'>): FeedSales {
  return {
    key: () =>
      JSON.stringify(
        offers
          .current()
          .automatic.filter((a) => a.activeNow)
          .map((a) => a.offer),
      ),
    prices(index, settings) {
      // A meal deal needs its other parts: one unit on its own is never in a bundle.
      const ctx = { ...offers.contextFor([], FEED_CUSTOMER), mealDeals: [] };
      const sales = new Map<string, number>();
      for (const item of index.menu.items) {
        const priced = priceOrderWithOffers(
          {
            lines: [
              {
                item,
                taxRateId: index.categories.get(item.categoryId)?.taxRateId,
                quantity: 1,
                options: [],
              },
            ],
            tax: settings.tax,
            fees: settings.fees,
            tip: { kind: 'none' },
            currency: settings.profile.currency,
          },
          ctx,
        );
        const net = priced.lines[0]?.net ?? item.price;
        if (net < item.price) sales.set(item.id, net);
      }
      return sales;
    },
  };
}
