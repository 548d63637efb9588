import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderSchema, shopInfoSchema } from '../src/mcp/output-schemas.js';
import { createOrdersRepo } from '../src/store/orders-repo.js';
import { printedLines } from './escpos.js';
import { answerText, type ToolAnswer } from './helpers/mcp-answer.js';
import { type OwnerBrowser, onboard } from './helpers/owner-browser.js';
import { approvePayingOnDelivery, simTicketTokens } from './helpers/sim-tickets.js';
import { startTestApp, TEST_CUSTOMER_HEADER, type TestApp } from './helpers/start-app.js';

type Money = { amount: number; display: string };
type Order = {
  order_id: string;
  code: string;
  status: string;
  pickup: { slot_start?: string };
  totals: Record<string, Money | boolean | undefined> & { subtotal: Money; tax: Money; total: Money };
  fulfillment?: {
    type: string;
    display: string;
    address?: Record<string, string>;
    fee?: Money;
    arrival_window?: { start: string; end: string; display: string };
    note?: string;
  };
  problems: { code: string; message: string; path?: string; suggestion?: string }[];
  confirmation_url?: string;
  next_step: string;
};
type CallResult = ToolAnswer;

let t: TestApp;
let owner: OwnerBrowser;
const clients: Client[] = [];
beforeAll(async () => {
  t = await startTestApp();
  owner = await onboard(t);
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await t.stop();
});

const ADDRESS = { street: '1 Main St', line2: 'Apt 2', city: 'Springfield', postal_code: '10001' };

/** A customer in a chat: the real SDK client, which checks each result against the tool's outputSchema. */
async function customer(subject: string) {
  const client = new Client({ name: 'delivery-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
      requestInit: { headers: { [TEST_CUSTOMER_HEADER]: subject } },
    }),
  );
  clients.push(client);
  // Listing the tools makes the client validate structuredContent against each outputSchema.
  await client.listTools();
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = (await client.callTool({ name, arguments: args })) as CallResult;
    if (result.isError !== true && result.structuredContent?.order_id !== undefined) {
      expect(orderSchema.safeParse(result.structuredContent).success).toBe(true);
    }
    return result;
  };
  const write = (name: string, args: Record<string, unknown>) =>
    call(name, { idempotency_key: randomUUID(), ...args });
  return { call, write };
}

const textOf = answerText;

function orderOf(result: CallResult): Order {
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent as unknown as Order;
}

function stored(id: string) {
  const order = createOrdersRepo({ store: t.app.store }).get(id);
  if (order === undefined) throw new Error(`no order ${id}`);
  return order;
}

function orderCount(): number {
  return t.app.store.db.prepare('SELECT count(*) FROM orders').pluck().get() as number;
}

/** The owner's delivery form, as acp-delivery.test.ts posts it. */
async function saveDelivery(fields: Record<string, string>): Promise<void> {
  const page = await owner.get('/admin/settings');
  const saved = await owner.post('/admin/settings/delivery', { csrf: page.csrf ?? '', ...fields });
  expect(saved.location).toBe('/admin/settings#delivery');
}

const ON = {
  enabled: 'on',
  feeMinor: '3.99',
  minimumMinor: '15',
  postalCodes: '10001, 10002',
  leadMinutes: '20',
};

describe('delivery through the MCP tools while the shop does not deliver', () => {
  it('says so in get_shop_info and refuses a delivery_address, writing nothing', async () => {
    const { call, write } = await customer('ada-off');
    const info = await call('get_shop_info', {});
    expect(shopInfoSchema.safeParse(info.structuredContent).success).toBe(true);
    expect(info.structuredContent?.delivery).toEqual({ available: false, postal_codes: [] });
    expect(textOf(info)).toContain('No delivery: pickup only.');

    const before = orderCount();
    const refused = await write('create_order', {
      lines: [{ item_id: 'cheeseburger', quantity: 2 }],
      customer_name: 'Ada Lovelace',
      delivery_address: ADDRESS,
    });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('Test Burgers is not delivering right now.');
    expect(textOf(refused)).toContain('Choose pickup instead');
    expect(textOf(refused)).toContain('(error code: delivery_unavailable)');
    expect(orderCount()).toBe(before);
  });
});

describe('delivery through the MCP tools once the owner switches it on', () => {
  beforeAll(async () => {
    await saveDelivery(ON);
  });

  it('get_shop_info tells the fee, the minimum and the postal codes served', async () => {
    const { call } = await customer('ada-info');
    const info = await call('get_shop_info', {});
    expect(info.structuredContent?.delivery).toEqual({
      available: true,
      fee: { amount: 399, currency: 'USD', display: '$3.99' },
      minimum: { amount: 1500, currency: 'USD', display: '$15.00' },
      postal_codes: ['10001', '10002'],
      lead_minutes: 20,
    });
    expect(textOf(info)).toContain(
      'Delivers to postal codes 10001, 10002: fee $3.99, minimum $15.00 of items, arrives about 20 min after the kitchen has it ready.',
    );
  });

  it('refuses an address out of the area or incomplete, and changes nothing', async () => {
    const { write } = await customer('ada-far');
    const cart = orderOf(
      await write('create_order', {
        lines: [{ item_id: 'cheeseburger', quantity: 2 }],
        customer_name: 'Ada Lovelace',
      }),
    );
    const before = stored(cart.order_id);

    const far = await write('update_order', {
      order_id: cart.order_id,
      add_lines: [{ item_id: 'fries', quantity: 1 }],
      delivery_address: { ...ADDRESS, postal_code: '99999' },
    });
    expect(far.isError).toBe(true);
    expect(textOf(far)).toContain('Test Burgers does not deliver to 99999; it delivers to 10001, 10002.');
    expect(textOf(far)).toContain('delivery_address.postal_code');
    expect(textOf(far)).toContain('Choose pickup instead');

    const blank = await write('update_order', {
      order_id: cart.order_id,
      delivery_address: { ...ADDRESS, street: ' ' },
    });
    expect(blank.isError).toBe(true);
    expect(textOf(blank)).toContain(
      'delivery_address.street: The delivery address needs the street address.',
    );

    const noAddress = await write('update_order', { order_id: cart.order_id, fulfillment: 'delivery' });
    expect(noAddress.isError).toBe(true);
    expect(textOf(noAddress)).toContain('Delivery needs the address to deliver to.');

    const both = await write('update_order', {
      order_id: cart.order_id,
      fulfillment: 'pickup',
      delivery_address: ADDRESS,
    });
    expect(both.isError).toBe(true);
    expect(textOf(both)).toContain('(error code: invalid_input)');

    expect(stored(cart.order_id)).toEqual(before);
  });

  it('delivers to a served address with the fee in the totals, and drops the fee back at pickup', async () => {
    const { write } = await customer('ada-served');
    const pickup = orderOf(
      await write('create_order', {
        lines: [{ item_id: 'cheeseburger', quantity: 2 }],
        customer_name: 'Ada Lovelace',
      }),
    );
    expect(pickup.fulfillment?.type).toBe('pickup');
    expect(pickup.totals.delivery).toBeUndefined();

    const result = await write('update_order', { order_id: pickup.order_id, delivery_address: ADDRESS });
    const delivered = orderOf(result);
    expect(delivered.fulfillment).toEqual({
      type: 'delivery',
      display: 'Delivery to 1 Main St, Apt 2, 10001 Springfield',
      address: {
        recipient: 'Ada Lovelace',
        street: '1 Main St',
        line2: 'Apt 2',
        city: 'Springfield',
        postal_code: '10001',
      },
      fee: { amount: 399, currency: 'USD', display: '$3.99' },
      lead_minutes: 20,
    });
    expect(delivered.problems).toEqual([]);
    expect(delivered.totals.delivery).toMatchObject({ amount: 399 });
    expect(delivered.totals.total.amount).toBe(pickup.totals.total.amount + 399);
    expect(delivered.totals.total.amount).toBe(
      delivered.totals.subtotal.amount + delivered.totals.tax.amount + 399,
    );
    const text = textOf(result);
    expect(text).toContain('Delivery to 1 Main St, Apt 2, 10001 Springfield · fee $3.99 · for Ada Lovelace');
    expect(text).toContain('delivery $3.99 · TOTAL $27.83');
    expect(text).not.toContain('Pickup:');
    expect(stored(pickup.order_id).fulfillment).toMatchObject({
      type: 'delivery',
      address: { name: '', line1: '1 Main St', postalCode: '10001' },
      leadMinutes: 20,
    });

    const back = await write('update_order', { order_id: pickup.order_id, fulfillment: 'pickup' });
    const picked = orderOf(back);
    expect(picked.fulfillment?.type).toBe('pickup');
    expect(picked.totals.delivery).toBeUndefined();
    expect(picked.totals.total.amount).toBe(pickup.totals.total.amount);
    expect(textOf(back)).toContain('Pickup: as soon as possible · for Ada Lovelace');
    expect(textOf(back)).not.toContain('Delivery to');
  });

  it('lists a delivery below the minimum as a problem and place_order refuses it', async () => {
    const { write } = await customer('ada-small');
    const result = await write('create_order', {
      lines: [{ item_id: 'cheeseburger', quantity: 1 }],
      customer_name: 'Ada Lovelace',
      delivery_address: ADDRESS,
    });
    const small = orderOf(result);
    expect(small.problems).toEqual([
      {
        code: 'delivery_minimum',
        message: 'Delivery needs an order of at least $15.00 in items; this one has $10.95.',
        path: 'lines',
        suggestion: 'Add $4.05 more, or choose pickup.',
      },
    ]);
    expect(small.next_step).toContain('Add $4.05 more, or choose pickup.');
    expect(textOf(result)).toContain('Problems:');

    const refused = await write('place_order', { order_id: small.order_id });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain(
      'Delivery needs an order of at least $15.00 in items; this one has $10.95.',
    );
    expect(textOf(refused)).toContain('(error code: delivery_minimum)');
    expect(stored(small.order_id).state).toBe('cart');
  });

  it('takes a delivered order from chat to the kitchen ticket, then repeats it to the same address', async () => {
    const { call, write } = await customer('ada-full');
    const created = orderOf(
      await write('create_order', {
        lines: [{ item_id: 'cheeseburger', quantity: 1 }],
        customer_name: 'Ada Lovelace',
        customer_phone: '+15557654321',
        delivery_address: ADDRESS,
      }),
    );
    expect(created.problems.map((p) => p.code)).toEqual(['delivery_minimum']);
    const updated = orderOf(
      await write('update_order', {
        order_id: created.order_id,
        add_lines: [{ item_id: 'cheeseburger', quantity: 1, note: 'no pickles' }],
      }),
    );
    expect(updated.problems).toEqual([]);
    expect(updated.fulfillment?.type).toBe('delivery');

    const result = await write('place_order', { order_id: created.order_id });
    const placed = orderOf(result);
    expect(placed.status).toBe('awaiting_confirmation');
    const window = placed.fulfillment?.arrival_window;
    expect(Date.parse(String(window?.start)) - Date.parse(String(placed.pickup.slot_start))).toBe(
      20 * 60_000,
    );
    expect(textOf(result)).toMatch(
      /Delivery to 1 Main St, Apt 2, 10001 Springfield · fee \$3\.99 · arrives around /,
    );
    // Placing makes the customer the recipient, and their phone the driver's number.
    expect(stored(created.order_id).fulfillment).toMatchObject({
      type: 'delivery',
      address: { name: 'Ada Lovelace', phone: '+15557654321' },
    });

    const link = String(placed.confirmation_url);
    const page = await approvePayingOnDelivery(t.url, link);
    expect(page).toContain('Delivery to: <strong>1 Main St, Apt 2, 10001 Springfield, around');

    const ticket = printedLines(await simTicketTokens(t.dataDir, placed.code)).map((l) => l.text.trim());
    expect(ticket).toContain('DELIVERY');
    expect(ticket.some((l) => l.startsWith('DELIVERY - ready'))).toBe(true);
    expect(ticket).toContain('Ada Lovelace');
    expect(ticket).toContain('1 Main St');
    expect(ticket).toContain('Apt 2');
    expect(ticket).toContain('10001 Springfield');
    expect(ticket).toContain('Tel +15557654321');
    expect(ticket.some((l) => /^PAY ON DELIVERY +\$27\.83$/.test(l))).toBe(true);

    const status = await call('get_order_status', { order_id: created.order_id });
    const [paid] = (status.structuredContent?.orders ?? []) as Order[];
    expect(paid?.fulfillment).toMatchObject({ type: 'delivery', fee: { amount: 399 } });
    expect(paid?.next_step).toContain('the driver brings it');

    // "Same as last time": the shop still delivers there.
    const again = await write('reorder', {});
    const repeat = orderOf(again);
    expect(repeat.fulfillment).toMatchObject({
      type: 'delivery',
      display: 'Delivery to 1 Main St, Apt 2, 10001 Springfield',
      note: 'Delivery to 1 Main St, Apt 2, 10001 Springfield again, as last time.',
    });
    expect(repeat.totals.delivery).toMatchObject({ amount: 399 });
    expect(textOf(again)).toContain(
      'Note: Delivery to 1 Main St, Apt 2, 10001 Springfield again, as last time.',
    );
    await write('cancel_order', { order_id: repeat.order_id });

    // Once the shop stops serving that postal code, the repeat is picked up, and says why.
    await saveDelivery({ ...ON, postalCodes: '10002' });
    try {
      const pickedUp = await write('reorder', {});
      const fallback = orderOf(pickedUp);
      expect(fallback.fulfillment?.type).toBe('pickup');
      expect(fallback.fulfillment?.note).toBe(
        'This order is for pickup: last time it was delivered to 1 Main St, Apt 2, 10001 Springfield, but Test Burgers does not deliver to 10001; it delivers to 10002. To deliver elsewhere, send delivery_address with update_order.',
      );
      expect(fallback.totals.delivery).toBeUndefined();
      expect(textOf(pickedUp)).toContain('Note: This order is for pickup');
    } finally {
      await saveDelivery(ON);
    }
  });

  it('lists a delivery the shop stopped serving as a problem on the open order', async () => {
    const { write, call } = await customer('ada-stopped');
    const cart = orderOf(
      await write('create_order', {
        lines: [{ item_id: 'cheeseburger', quantity: 2 }],
        customer_name: 'Ada Lovelace',
        delivery_address: ADDRESS,
      }),
    );
    await saveDelivery({ ...ON, enabled: '' });
    try {
      const status = await call('get_order_status', { order_id: cart.order_id });
      const [open] = (status.structuredContent?.orders ?? []) as Order[];
      expect(open?.problems.map((p) => p.code)).toEqual(['delivery_unavailable']);
      const back = orderOf(await write('update_order', { order_id: cart.order_id, fulfillment: 'pickup' }));
      expect(back.problems).toEqual([]);
    } finally {
      await saveDelivery(ON);
    }
  });
});

/** The ESC/POS tokens of the order's kitchen ticket, once the simulated printer has written it. */
