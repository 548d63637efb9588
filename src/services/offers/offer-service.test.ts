import { describe, expect, it } from 'vitest';
import { demoStore } from '../../../test/helpers/demo-store.js';
import { createSequentialIds } from '../../platform/ids.js';
import { createOffersRepo } from '../../store/offers-repo.js';
import { createOrdersRepo } from '../../store/orders-repo.js';
import { createOrderEvents } from '../orders/order-events.js';
import { createOrderService } from '../orders/order-service.js';
import { createOfferService } from './offer-service.js';

function shop() {
  const demo = demoStore();
  const offers = createOffersRepo({ store: demo.store });
  const ordersRepo = createOrdersRepo({ store: demo.store });
  const orderEvents = createOrderEvents();
  const offerService = createOfferService({
    offers,
    orders: ordersRepo,
    shop: demo.shop,
    clock: demo.clock,
    orderEvents,
  });
  const orders = createOrderService({
    ...demo,
    orders: ordersRepo,
    ids: createSequentialIds(),
    events: orderEvents,
    offers: offerService,
  });
  offers.insert(
    {
      kind: 'meal_deal',
      offer: {
        id: 'combo',
        name: 'Combo',
        price: { kind: 'amount', amount: 200 },
        slots: [
          { name: 'Side', itemIds: ['fries'], categoryIds: [] },
          { name: 'Drink', itemIds: ['cola'], categoryIds: [] },
        ],
      },
    },
    0,
  );
  offers.insert(
    {
      kind: 'promo_code',
      offer: {
        id: 'once',
        name: 'Once',
        value: { kind: 'amount', amount: 100 },
        scope: { kind: 'order' },
        minimumSubtotal: 0,
        limits: { total: 1 },
        combinesWith: { codes: false, mealDeals: true },
      },
    },
    0,
  );
  offers.addCodes('once', [{ id: 'c-once', code: 'ONCE' }], 0);
  offers.insert(
    {
      kind: 'promo_code',
      offer: {
        id: 'each',
        name: 'Once each',
        value: { kind: 'amount', amount: 50 },
        scope: { kind: 'order' },
        minimumSubtotal: 0,
        limits: { perCustomer: 1 },
        combinesWith: { codes: false, mealDeals: true },
      },
    },
    0,
  );
  offers.addCodes('each', [{ id: 'c-each', code: 'EACH' }], 0);
  const uses = (orderId: string) =>
    demo.store.db.prepare('SELECT state FROM offer_code_uses WHERE order_id = ?').pluck().all(orderId);
  return { orders, uses, store: demo.store };
}

const parts = [
  { itemId: 'fries', quantity: 1 },
  { itemId: 'cola', quantity: 1 },
];

describe('the offer service with the orders', () => {
  it('gives a conversation’s order and an ACP checkout’s order the same meal deal', () => {
    const { orders } = shop();
    const mcp = orders.create({ subject: 'sam' }, parts, {});
    const acp = orders.create({ subject: 'acp:cs_1' }, parts, {});
    expect(mcp.priced.totals.discount).toBe(200);
    expect(acp.priced.totals).toEqual(mcp.priced.totals);
  });

  it('counts an ACP buyer’s per-customer code limit by their phone number, across sessions', () => {
    const { orders, store } = shop();
    const buyer = (session: string, phone: string) => ({
      who: { subject: `acp:${session}` },
      details: { promoCodes: ['EACH'], customerName: 'Ines', customerPhone: phone },
    });
    const first = buyer('cs_1', '+15555550142');
    const cart = orders.create(first.who, parts, first.details).order;
    orders.place(first.who, cart.id);
    expect(
      store.db.prepare('SELECT subject, state FROM offer_code_uses WHERE order_id = ?').all(cart.id),
    ).toEqual([{ subject: 'acp-phone:+15555550142', state: 'held' }]);
    const again = buyer('cs_2', '+15555550142');
    const refused = orders.create(again.who, parts, again.details).priced.refused;
    expect(refused).toEqual([expect.objectContaining({ code: 'EACH', reason: 'already_used' })]);
    const other = buyer('cs_3', '+15555550199');
    expect(orders.create(other.who, parts, other.details).priced.refused).toEqual([]);
  });

  it('holds a code when the order is placed, lets it go on a denial, and counts it once paid', () => {
    const { orders, uses } = shop();
    const who = { subject: 'kim' };
    const cart = orders.create(who, parts, { promoCode: 'once', customerName: 'Kim' }).order;
    orders.place(who, cart.id);
    expect(uses(cart.id)).toEqual(['held']);
    orders.transitionById(cart.id, 'deny', 'customer:kim');
    expect(uses(cart.id)).toEqual([]);
    orders.place(who, cart.id);
    orders.transitionById(cart.id, 'approve', 'customer:kim', { method: 'demo_card' });
    expect(uses(cart.id)).toEqual(['used']);
    const next = orders.create({ subject: 'lee' }, parts, {});
    expect(() => orders.update({ subject: 'lee' }, next.order.id, { promoCode: 'ONCE' })).toThrow(
      expect.objectContaining({
        code: 'promo_code_refused',
        details: { code: 'ONCE', reason: 'already_used' },
      }),
    );
  });
});
