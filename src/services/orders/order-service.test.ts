import { describe, expect, it } from 'vitest';
import { demoStore } from '../../../test/helpers/demo-store.js';
import { isAppError } from '../../domain/app-error.js';
import { createSequentialIds } from '../../platform/ids.js';
import { createOrdersRepo } from '../../store/orders-repo.js';
import { demoSettings } from '../shop/demo-shop.js';
import { createOrderService } from './order-service.js';

// 17:00 UTC = 12:00 in New York, a Tuesday.
function setup(start = '2026-11-24T17:00:00Z') {
  const { store, clock, settings, catalog, shop, menu } = demoStore(start);
  const orders = createOrderService({
    store,
    orders: createOrdersRepo({ store }),
    shop,
    menu,
    clock,
    ids: createSequentialIds(),
  });
  return { store, clock, settings, catalog, shop, orders };
}

function codeOf(fn: () => unknown): { code: string; message: string; suggestion?: string } {
  try {
    fn();
  } catch (error) {
    if (isAppError(error))
      return { code: error.code, message: error.message, suggestion: error.violations[0]?.suggestion };
    throw error;
  }
  return { code: 'no error', message: '' };
}

const sam = { subject: 'sam' };
const lee = { subject: 'lee' };
const burger = [{ itemId: 'cheeseburger', quantity: 1 }];

describe('order service', () => {
  it('keeps one open cart per customer', () => {
    const { orders } = setup();
    const first = orders.create(sam, burger, {});
    expect(codeOf(() => orders.create(sam, burger, {})).code).toBe('order_exists');
    expect(orders.create(lee, burger, {}).order.customerId).not.toBe(first.order.customerId);
    orders.cancel(sam, first.order.id);
    expect(orders.create(sam, burger, {}).order.state).toBe('cart');
  });

  it('refuses to take orders when the shop is closed, naming the next opening', () => {
    const ten = [{ open: '10:00', close: '22:00' }];
    const weekly = { mon: ten, tue: ten, wed: ten, thu: ten, fri: ten, sat: ten, sun: ten };
    // 08:00 in New York: closed until 10:00.
    const { orders, settings, shop } = setup('2026-11-24T13:00:00Z');
    settings.saveSection('hours', { ...demoSettings().hours, weekly });
    shop.refresh();
    const closed = codeOf(() => orders.create(sam, burger, {}));
    expect(closed.code).toBe('shop_closed');
    expect(closed.message).toContain('closed right now');
    expect(closed.suggestion).toMatch(/open again .*10:00/);
  });

  it('stops orders when the owner pauses them', () => {
    const { orders, settings, shop } = setup();
    settings.saveSection('pausedByOwner', true);
    shop.refresh();
    expect(codeOf(() => orders.create(sam, burger, {})).code).toBe('shop_closed');
  });

  it('needs a name before placing, then places once and freezes the prices', () => {
    const { orders, catalog } = setup();
    const cart = orders.create(sam, burger, {});
    expect(codeOf(() => orders.place(sam, cart.order.id)).code).toBe('customer_details_missing');
    orders.update(sam, cart.order.id, { customerName: 'Sam' });
    const placed = orders.place(sam, cart.order.id);
    expect(placed.order.state).toBe('awaiting_confirmation');
    expect(placed.priced.totals.subtotal).toBe(1095);
    // A later price change does not touch a placed order.
    const menu = catalog.loadMenu();
    catalog.replaceMenu({
      ...menu,
      items: menu.items.map((i) => (i.id === 'cheeseburger' ? { ...i, price: 2000 } : i)),
    });
    expect(orders.get(sam, cart.order.id).priced.totals.subtotal).toBe(1095);
    expect(orders.place(sam, cart.order.id).order.version).toBe(placed.order.version);
    expect(codeOf(() => orders.update(sam, cart.order.id, { customerName: 'Samuel' })).code).toBe(
      'order_not_editable',
    );
  });

  it('fills pickup slots up to their capacity and offers the next free one', () => {
    const { orders, settings, shop } = setup();
    settings.saveSection('pickup', { leadMinutes: 15, slotMinutes: 15, slotCapacity: 1, maxDaysAhead: 2 });
    shop.refresh();
    const a = orders.create(sam, burger, { customerName: 'Sam', pickupTime: '12:30' });
    const b = orders.create(lee, burger, { customerName: 'Lee', pickupTime: '12:30' });
    orders.place(sam, a.order.id);
    // Lee built the cart while the slot was free; placing it now finds the slot taken.
    const full = codeOf(() => orders.place(lee, b.order.id));
    expect(full.code).toBe('pickup_slot_full');
    expect(full.suggestion).toContain('12:45');
    const third = codeOf(() => orders.create({ subject: 'kim' }, burger, { pickupTime: '12:30' }));
    expect(third.code).toBe('pickup_slot_full');
  });

  it('refuses a breakfast item outside its daypart when placing', () => {
    const { orders } = setup();
    const cart = orders.create(sam, [{ itemId: 'pancake-stack', quantity: 1 }], { customerName: 'Sam' });
    expect(codeOf(() => orders.place(sam, cart.order.id)).code).toBe('item_unavailable_now');
  });

  it('does not let one customer see or change another customer’s order', () => {
    const { orders } = setup();
    const cart = orders.create(sam, burger, {});
    expect(codeOf(() => orders.get(lee, cart.order.id)).code).toBe('order_not_found');
    expect(codeOf(() => orders.cancel(lee, cart.order.id)).code).toBe('order_not_found');
    expect(orders.get(sam, cart.order.code).order.id).toBe(cart.order.id);
  });

  it('reorders the last order, leaving out what is sold out now', () => {
    const { orders, catalog } = setup();
    const cart = orders.create(
      sam,
      [...burger, { itemId: 'fries', quantity: 2, optionIds: ['side-large'] }],
      {},
    );
    orders.cancel(sam, cart.order.id);
    catalog.setItemSoldOut('fries', true);
    const again = orders.reorder(sam, undefined);
    expect(again.order.lines.map((l) => l.itemId)).toEqual(['cheeseburger']);
    expect(again.dropped).toEqual(['Fries']);
  });

  it('changes, adds and removes lines by id, and an empty update leaves a cart that cannot be placed', () => {
    const { orders } = setup();
    const cart = orders.create(sam, burger, { customerName: 'Sam' });
    const changed = orders.update(sam, cart.order.id, {
      updateLines: [{ lineId: 'l1', quantity: 2, note: 'no pickles please' }],
      addLines: [{ itemId: 'cola', quantity: 1 }],
    });
    expect(changed.order.lines.map((l) => [l.lineId, l.itemId, l.quantity, l.note])).toEqual([
      ['l1', 'cheeseburger', 2, 'no pickles please'],
      ['l2', 'cola', 1, undefined],
    ]);
    expect(codeOf(() => orders.update(sam, cart.order.id, { removeLineIds: ['l9'] })).code).toBe(
      'invalid_input',
    );
    const emptied = orders.update(sam, cart.order.id, { removeLineIds: ['l1', 'l2'] });
    expect(emptied.problems.map((p) => p.code)).toEqual(['order_empty']);
    expect(codeOf(() => orders.place(sam, cart.order.id)).code).toBe('order_empty');
  });
});

describe('a quote and settling at the counter', () => {
  it('prices lines as placing them does, with their problems, and writes nothing', () => {
    const { orders, store } = setup();
    const lines = [{ itemId: 'cheeseburger', quantity: 2, optionIds: ['patty-double', 'extra-bacon'] }];
    const quote = orders.quote(lines, {});
    const count = () => store.db.prepare('SELECT count(*) FROM orders').pluck().get();
    expect(count()).toBe(0);
    const created = orders.create(sam, lines, { customerName: 'Sam' });
    const placed = orders.place(sam, created.order.id);
    expect(quote.priced.totals).toEqual(placed.priced.totals);
    const bad = orders.quote(
      [{ itemId: 'cheeseburger', quantity: 1, optionIds: ['patty-beef', 'patty-double'] }],
      {},
    );
    expect(bad.problems.map((p) => [p.code, p.path])).toEqual([['modifier_max', 'lines[l1].options']]);
    expect(count()).toBe(1);
  });

  it('records a pay-at-pickup order paid at the counter once, keeping its state', () => {
    const { orders } = setup();
    const created = orders.create(lee, burger, { customerName: 'Lee' });
    orders.place(lee, created.order.id);
    const promised = orders.transitionById(created.order.id, 'approve', 'owner', { method: 'pay_at_pickup' });
    const settled = orders.settle(promised.id, { method: 'counter_cash' }, 'owner');
    expect(settled.state).toBe('paid');
    expect(settled.payment).toEqual({ method: 'counter_cash' });
    expect(codeOf(() => orders.settle(promised.id, { method: 'counter_card' }, 'owner')).code).toBe(
      'invalid_transition',
    );
    expect(codeOf(() => orders.settle('ord_nope', { method: 'counter_card' }, 'owner')).code).toBe(
      'order_not_found',
    );
  });
});
