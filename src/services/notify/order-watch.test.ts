import { describe, expect, it } from 'vitest';
import type { Order } from '../../domain/order.js';
import { createOrderEvents } from '../orders/order-events.js';
import { createOrderWatch } from './order-watch.js';

const moved = (id: string) => ({ id, state: 'ready' }) as Order;
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the order pages’ live feed', () => {
  it('tells the watchers of the moved order only, after the move’s turn', async () => {
    const events = createOrderEvents();
    const watch = createOrderWatch({ orderEvents: events });
    const heard: string[] = [];
    watch.watch(
      'a',
      (o) => heard.push(`1:${o.id}`),
      () => {},
    );
    watch.watch(
      'b',
      (o) => heard.push(`2:${o.id}`),
      () => {},
    );
    events.emit(moved('a'), 'in_kitchen', { event: 'mark_ready', actor: 'owner' });
    expect(heard).toEqual([]);
    await settle();
    expect(heard).toEqual(['1:a']);
  });

  it('refuses watchers past the limits, and frees a place when one leaves', () => {
    const watch = createOrderWatch({ orderEvents: createOrderEvents(), limits: { perOrder: 2, total: 3 } });
    const leave = watch.watch(
      'a',
      () => {},
      () => {},
    );
    expect(
      watch.watch(
        'a',
        () => {},
        () => {},
      ),
    ).toBeDefined();
    expect(
      watch.watch(
        'a',
        () => {},
        () => {},
      ),
    ).toBeUndefined();
    expect(
      watch.watch(
        'b',
        () => {},
        () => {},
      ),
    ).toBeDefined();
    expect(
      watch.watch(
        'c',
        () => {},
        () => {},
      ),
    ).toBeUndefined();
    leave?.();
    leave?.();
    expect(
      watch.watch(
        'c',
        () => {},
        () => {},
      ),
    ).toBeDefined();
    expect(
      watch.watch(
        'd',
        () => {},
        () => {},
      ),
    ).toBeUndefined();
  });

  it('ends every watcher when it closes, and counts none of them afterwards', () => {
    const watch = createOrderWatch({ orderEvents: createOrderEvents(), limits: { perOrder: 1, total: 1 } });
    let closed = 0;
    const leave = watch.watch(
      'a',
      () => {},
      () => {
        closed += 1;
      },
    );
    watch.close();
    expect(closed).toBe(1);
    leave?.();
    expect(
      watch.watch(
        'a',
        () => {},
        () => {},
      ),
    ).toBeDefined();
  });
});
