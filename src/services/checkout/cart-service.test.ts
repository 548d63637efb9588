import { describe, expect, it } from 'vitest';
import { demoStore } from '../../../test/helpers/demo-store.js';
import { isAppError } from '../../domain/app-error.js';
import { createSequentialIds } from '../../platform/ids.js';
import { createAcpKeysRepo } from '../../store/acp-keys-repo.js';
import { createCartRepo } from '../../store/cart-repo.js';
import { createOrdersRepo } from '../../store/orders-repo.js';
import { createAcpKeys } from './acp-keys.js';
import { CART_TTL_MS, createCartService } from './cart-service.js';

// 17:00 UTC = 12:00 in New York, a Tuesday.
function setup() {
  const { store, clock, catalog, shop, menu } = demoStore();
  const ids = createSequentialIds();
  const keys = createAcpKeys({ repo: createAcpKeysRepo({ store }), clock, ids, signingRoot: 'test-root' });
  const carts = createCartService({
    store,
    carts: createCartRepo({ store }),
    shop,
    menu,
    ordersRepo: createOrdersRepo({ store }),
    clock,
    ids,
  });
  const rows = () => store.db.prepare('SELECT count(*) FROM carts').pluck().get() as number;
  return {
    store,
    clock,
    catalog,
    carts,
    rows,
    agent: keys.create('agent').key.id,
    other: keys.create('other').key.id,
  };
}

function failure(fn: () => unknown): { code: string; paths: (string | undefined)[] } {
  try {
    fn();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, paths: error.violations.map((v) => v.path) };
    throw error;
  }
  return { code: 'no error', paths: [] };
}

const burgers = { items: [{ id: 'cheeseburger', quantity: 2 }, { id: 'fries' }], buyer: undefined };

describe('cart service', () => {
  it('prices a cart from the menu as checkout does, and reads back what it stored', () => {
    const { carts, agent } = setup();
    const created = carts.create(agent, {
      items: [{ id: 'cheeseburger:extra-bacon' }, { id: 'cheeseburger:extra-bacon' }, { id: 'fries' }],
      buyer: { email: 'ada@example.com' },
    });
    expect(created.cart.items.map((i) => [i.ref, i.quantity])).toEqual([
      ['cheeseburger:extra-bacon', 2],
      ['fries', 1],
    ]);
    expect(created.priced.lines[0]?.lineTotal).toBe(2 * 1295);
    expect(created.priced.totals.total).toBeGreaterThan(created.priced.totals.subtotal);
    expect(created.problems).toEqual([]);
    expect(carts.get(agent, created.cart.id)).toEqual(created);
  });

  it('replaces items and buyer on update and starts the expiry again', () => {
    const { carts, clock, agent } = setup();
    const created = carts.create(agent, { ...burgers, buyer: { email: 'ada@example.com' } });
    clock.advance(60_000);
    const replaced = carts.replace(agent, created.cart.id, {
      items: [{ id: 'hamburger' }],
      buyer: undefined,
    });
    expect(replaced.cart.items.map((i) => i.ref)).toEqual(['hamburger']);
    expect(replaced.cart.buyer).toBeUndefined();
    expect(replaced.cart.expiresAt.getTime()).toBe(clock.now().getTime() + CART_TTL_MS);
    expect(carts.get(agent, created.cart.id).cart.items).toEqual(replaced.cart.items);
  });

  it('keeps a sold-out line with its problem, and refuses a cart where nothing can be had', () => {
    const { carts, agent, rows } = setup();
    const partial = carts.create(agent, {
      items: [{ id: 'cheeseburger' }, { id: 'craft-root-beer' }],
      buyer: undefined,
    });
    expect(partial.cart.items).toHaveLength(2);
    expect(partial.problems).toEqual([
      expect.objectContaining({ code: 'item_sold_out', path: 'line_items.1.id' }),
    ]);
    // The estimate counts only the cheeseburger; the root beer keeps its price for its line.
    expect(partial.leftOut).toEqual(new Set([1]));
    expect(partial.priced.lines.map((l) => l.itemId)).toEqual(['cheeseburger']);
    expect(partial.linePrices.lines.map((l) => l.itemId)).toEqual(['cheeseburger', 'craft-root-beer']);
    expect(
      failure(() => carts.create(agent, { items: [{ id: 'craft-root-beer' }], buyer: undefined })),
    ).toEqual({
      code: 'item_sold_out',
      paths: ['line_items.0.id'],
    });
    const refused = failure(() =>
      carts.replace(agent, partial.cart.id, { items: [{ id: 'craft-root-beer' }], buyer: undefined }),
    );
    expect(refused.code).toBe('item_sold_out');
    expect(carts.get(agent, partial.cart.id).cart.items).toHaveLength(2);
    expect(rows()).toBe(1);
    const alone = carts.create(agent, { items: [{ id: 'cheeseburger' }], buyer: undefined });
    expect(partial.priced.totals).toEqual(alone.priced.totals);
  });

  it('refuses an item the menu does not have, naming the line, and writes nothing', () => {
    const { carts, agent, rows } = setup();
    expect(
      failure(() =>
        carts.create(agent, { items: [{ id: 'fries' }, { id: 'unicorn-steak' }], buyer: undefined }),
      ),
    ).toEqual({
      code: 'item_not_found',
      paths: ['line_items.1.id'],
    });
    expect(rows()).toBe(0);
  });

  it('shows a cart only to its own API key, until it is canceled or expires', () => {
    const { carts, clock, agent, other, rows } = setup();
    const first = carts.create(agent, burgers);
    expect(failure(() => carts.get(other, first.cart.id)).code).toBe('not_found');
    expect(failure(() => carts.cancel(other, first.cart.id)).code).toBe('not_found');
    expect(carts.cancel(agent, first.cart.id)).toEqual(first);
    expect(failure(() => carts.get(agent, first.cart.id)).code).toBe('not_found');
    expect(rows()).toBe(0);
    const second = carts.create(agent, burgers);
    carts.create(other, burgers);
    clock.advance(CART_TTL_MS);
    expect(failure(() => carts.get(agent, second.cart.id)).code).toBe('not_found');
    expect(failure(() => carts.replace(agent, second.cart.id, burgers)).code).toBe('not_found');
    expect(rows()).toBe(2);
    carts.create(agent, burgers);
    expect(rows()).toBe(1);
  });
});
