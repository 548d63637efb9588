import { describe, expect, it } from 'vitest';
import { demoOrders } from '../../test/helpers/demo-store.js';
import { isAppError } from '../domain/app-error.js';
import { createSilentLogger } from '../platform/logger.js';
import { inToolWords } from './tool-hints.js';
import { toolError } from './tool-result.js';

const TOOL_NAMES = /create_order|update_order|place_order|cancel_order|get_order_status|reorder|search_menu/;

/** The error `fn` throws, as the order service words it and as an ordering tool answers it. */
function refusal(fn: () => unknown): { service: string; tool: string } {
  try {
    fn();
  } catch (error) {
    if (!isAppError(error)) throw error;
    const service = [error.message, ...error.violations.map((v) => v.suggestion ?? '')].join('\n');
    const result = toolError(inToolWords(error), createSilentLogger());
    const [content] = result.content;
    return { service, tool: content?.type === 'text' ? content.text : '' };
  }
  throw new Error('nothing was refused');
}

describe('the ordering tools’ words', () => {
  const { orders } = demoOrders();
  const sam = { subject: 'sam' };
  const cart = orders.create(sam, [{ itemId: 'cheeseburger', quantity: 1 }], {}).order;

  it('are added by the tools; the order service names fields, never a tool', () => {
    const exists = refusal(() => orders.create(sam, [{ itemId: 'fries', quantity: 1 }], {}));
    expect(exists.service).not.toMatch(TOOL_NAMES);
    expect(exists.tool).toBe(
      `You already have an open order ${cart.code} (1 line(s)). Change it with update_order (order_id "${cart.id}") or cancel it with cancel_order first.\n(error code: order_exists)`,
    );

    const missing = refusal(() => orders.get({ subject: 'lee' }, cart.id));
    expect(missing.service).not.toMatch(TOOL_NAMES);
    expect(missing.tool).toBe(
      `There is no order ${cart.id} for you. Call get_order_status to list your orders.\n(error code: order_not_found)`,
    );

    const unnamed = refusal(() => orders.place(sam, cart.id));
    expect(unnamed.service).not.toMatch(TOOL_NAMES);
    expect(unnamed.service).toMatch(/customer_name/);
    expect(unnamed.tool).toBe(
      'The kitchen needs a name for the order.\n- customer_name: The kitchen needs a name for the order. Ask the customer for their name and set it with update_order (customer_name), then place the order again.\n(error code: customer_details_missing)',
    );
  });

  it('leave an error without a next call as it is', () => {
    const error = new Error('disk on fire');
    expect(inToolWords(error)).toBe(error);
  });
});
