import vm from 'node:vm';
import { type JSONRPCRequest, McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { connectCallTransport } from '../call-transport.js';
import { menuItemDetailSchema, orderSchema, searchResultSchema } from '../output-schemas.js';
import { APP_BRIDGE_SCRIPT } from './app-bridge-script.js';
import { MENU_LOGIC_SCRIPT, menuWidgetHtml } from './menu-widget.js';
import { ORDER_LOGIC_SCRIPT, orderWidgetHtml } from './order-widget.js';
import {
  MCP_APP_MIME_TYPE,
  MENU_WIDGET_URI,
  ORDER_WIDGET_URI,
  registerUiResources,
  uiToolMeta,
} from './ui-resources.js';

interface Msg {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { code: number; message: string };
}
type Listener = (event: {
  source: unknown;
  data: unknown;
  target?: FakeNode;
  preventDefault: () => void;
}) => void;

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const flush = () => new Promise((resolve) => setImmediate(resolve));
const scriptOf = (html: string) => /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';

/** Just enough DOM for the widgets: elements, text, attributes, events that bubble, a few selectors. */
class FakeNode {
  children: FakeNode[] = [];
  parent: FakeNode | undefined;
  attrs = new Map<string, string>();
  listeners = new Map<string, Listener[]>();
  style = {
    colorScheme: '',
    vars: new Map<string, string>(),
    setProperty(k: string, v: string) {
      this.vars.set(k, v);
    },
  };
  hidden = false;
  disabled = false;
  checked = false;
  value = '';
  className = '';
  data = '';
  constructor(readonly tagName: string) {}
  get textContent(): string {
    return this.tagName === '#text' ? this.data : this.children.map((c) => c.textContent).join('');
  }
  set textContent(text: string) {
    this.data = text;
    if (this.tagName !== '#text') this.replaceChildren(Object.assign(new FakeNode('#text'), { data: text }));
  }
  appendChild(child: FakeNode) {
    child.parent = this;
    this.children.push(child);
    return child;
  }
  replaceChildren(...nodes: FakeNode[]) {
    this.children = [];
    for (const n of nodes) this.appendChild(n);
  }
  replaceWith(node: FakeNode) {
    const siblings = this.parent?.children ?? [];
    siblings.splice(siblings.indexOf(this), 1, node);
    node.parent = this.parent;
  }
  remove() {
    this.parent?.children.splice(this.parent.children.indexOf(this), 1);
  }
  setAttribute(name: string, value: string) {
    this.attrs.set(name, value);
    if (name === 'checked' || name === 'disabled' || name === 'hidden') this[name] = true;
    if (name === 'value') this.value = value;
  }
  getAttribute(name: string) {
    return this.attrs.get(name) ?? null;
  }
  removeAttribute(name: string) {
    this.attrs.delete(name);
  }
  addEventListener(type: string, fn: Listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  focus() {}
  all(): FakeNode[] {
    return this.children.flatMap((c) => [c, ...c.all()]);
  }
  querySelectorAll(selector: string) {
    const m = /^input(?:\[name="([^"]+)"\])?(:checked)?(:not\(\[disabled\]\))?$/.exec(selector);
    if (!m) throw new Error(`fake DOM does not know ${selector}`);
    return this.all().filter(
      (n) =>
        n.tagName === 'input' &&
        (m[1] === undefined || n.getAttribute('name') === m[1]) &&
        (m[2] === undefined || n.checked) &&
        (m[3] === undefined || !n.disabled),
    );
  }
  querySelector(selector: string) {
    return this.querySelectorAll(selector)[0] ?? null;
  }
}

function fire(node: FakeNode, type: string) {
  const event = { source: undefined, data: undefined, target: node, preventDefault() {} };
  for (let n: FakeNode | undefined = node; n !== undefined; n = n.parent) {
    for (const fn of n.listeners.get(type) ?? []) fn(event);
  }
}

/** Runs a widget's script against a fake host frame; returns what it posted and ways to answer. */
function runWidget(html: string, ids: string[]) {
  const posted: Msg[] = [];
  const listeners: Listener[] = [];
  const parent = { postMessage: (msg: Msg) => posted.push(plain(msg)) };
  const byId = new Map(ids.map((id) => [id, new FakeNode('div')]));
  const root = new FakeNode('html');
  const context = vm.createContext({
    window: {
      parent,
      innerWidth: 390,
      open() {},
      addEventListener: (_: string, fn: Listener) => listeners.push(fn),
    },
    document: {
      documentElement: root,
      body: { scrollHeight: 500 },
      getElementById: (id: string) => byId.get(id) ?? null,
      createElement: (tag: string) => new FakeNode(tag),
      createTextNode: (text: string) => Object.assign(new FakeNode('#text'), { data: text }),
    },
    getComputedStyle: () => ({ marginTop: '12px', marginBottom: '12px' }),
    requestAnimationFrame: (fn: () => void) => fn(),
    setTimeout,
    clearTimeout,
    URL,
  });
  vm.runInContext(scriptOf(html), context);
  const fromHost = (data: Msg, source: unknown = parent) => {
    for (const fn of listeners) fn({ source, data, preventDefault() {} });
  };
  const answer = async (method: string, result: unknown) => {
    const request = posted.findLast((m) => m.method === method);
    if (request?.id === undefined) throw new Error(`no ${method} request was posted`);
    fromHost({ jsonrpc: '2.0', id: request.id, result });
    await flush();
  };
  const node = (id: string) => byId.get(id) as FakeNode;
  return { posted, fromHost, answer, node, root };
}

type Summary = z.infer<typeof searchResultSchema>['items'][number];
const usd = (amount: number) => ({ amount, currency: 'USD', display: `$${(amount / 100).toFixed(2)}` });
const HOST_INIT = {
  protocolVersion: '2026-01-26',
  hostInfo: { name: 'test-host', version: '1' },
  hostCapabilities: { openLinks: {}, serverTools: {} },
  hostContext: { theme: 'dark' },
};

describe('widget documents', () => {
  for (const [name, html] of [
    ['menu', menuWidgetHtml()],
    ['order', orderWidgetHtml()],
  ] as const) {
    it(`${name}: is one complete, self-contained document`, () => {
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toMatch(/<meta charset="utf-8">[\s\S]*<\/html>\s*$/);
      expect(Buffer.byteLength(html)).toBeLessThan(25_000);
      expect(html).not.toMatch(/https?:\/\/[a-z0-9]/i);
      expect(html.match(/<script/g)).toEqual(['<script']);
      expect(html.match(/<style/g)).toEqual(['<style']);
      const markup = html.replace(/<script>[\s\S]*<\/script>/, '');
      expect(markup).not.toMatch(/<link\b|<img|<iframe|<object|<embed|@import|url\(|\son[a-z]+=/i);
      const script = scriptOf(html);
      expect(script).not.toMatch(/fetch\(|XMLHttpRequest|WebSocket|EventSource|import\(|importScripts/);
      expect(script).not.toMatch(
        /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/,
      );
      expect(() => new vm.Script(scriptOf(html))).not.toThrow();
    });
  }
});

describe('menu logic', () => {
  const logic = vm.runInNewContext(
    `${MENU_LOGIC_SCRIPT}; ({ optionRule, selectionProblems, orderRequestText })`,
  );
  const patty = { name: 'Patty', selection: 'single', min: 1, max: 1 };
  const extras = { name: 'Extras', selection: 'multiple', min: 0, max: 2 };

  it('states the rule of each group', () => {
    expect(logic.optionRule(patty)).toBe('Choose 1');
    expect(logic.optionRule(extras)).toBe('Optional, up to 2');
    expect(logic.optionRule({ ...extras, min: 1, max: 3 })).toBe('Choose 1 to 3');
  });

  it('reports groups chosen below min or above max', () => {
    expect(plain(logic.selectionProblems([patty, extras], [[], [{}, {}, {}]]))).toEqual([
      'Patty: choose one.',
      'Extras: choose at most 2.',
    ]);
    expect(plain(logic.selectionProblems([patty, extras], [[{}], []]))).toEqual([]);
  });

  it('writes the follow-up message the assistant acts on', () => {
    expect(logic.orderRequestText('Cheeseburger', 1, ['Double beef', 'No onions'], ' ')).toBe(
      'Add 1 × Cheeseburger (Double beef, No onions) to my order',
    );
    expect(logic.orderRequestText('Fries', 2, [], 'extra salt')).toBe(
      'Add 2 × Fries to my order, note: "extra salt"',
    );
  });
});

describe('order logic', () => {
  const logic = vm.runInNewContext(
    `${ORDER_LOGIC_SCRIPT}; ({ statusBadge, totalRows, fulfillmentLine, webLink })`,
    { URL },
  );

  it('lists only the totals that apply, naming included tax', () => {
    const totals = {
      subtotal: usd(1800),
      tax: usd(150),
      tax_included: true,
      fee: usd(0),
      tip: usd(200),
      total: usd(2000),
    };
    expect(plain(logic.totalRows(totals))).toEqual([
      ['Subtotal', '$18.00'],
      ['Tax (included)', '$1.50'],
      ['Tip', '$2.00'],
      ['Total', '$20.00'],
    ]);
    expect(plain(logic.statusBadge('awaiting_confirmation'))).toEqual({
      label: 'Waiting for payment',
      tone: 'warn',
    });
  });

  it('shows the discounts before the subtotal they were taken from', () => {
    const totals = {
      subtotal: usd(1350),
      discount: usd(620),
      tax: usd(120),
      tax_included: false,
      fee: usd(0),
      tip: usd(0),
      total: usd(1470),
    };
    expect(plain(logic.totalRows(totals))).toEqual([
      ['Discounts', '\u2212$6.20'],
      ['Subtotal', '$13.50'],
      ['Tax', '$1.20'],
      ['Total', '$14.70'],
    ]);
  });

  it('shows a delivery with its fee, and the fee as a total line', () => {
    const totals = {
      subtotal: usd(2190),
      tax: usd(194),
      tax_included: false,
      fee: usd(0),
      tip: usd(0),
      delivery: usd(399),
      total: usd(2783),
    };
    expect(plain(logic.totalRows(totals))).toEqual([
      ['Subtotal', '$21.90'],
      ['Tax', '$1.94'],
      ['Delivery', '$3.99'],
      ['Total', '$27.83'],
    ]);
    const pickup = { pickup: { requested: 'asap', display: '12:30' } };
    expect(logic.fulfillmentLine(pickup)).toBe('Pickup 12:30');
    expect(
      logic.fulfillmentLine({ ...pickup, fulfillment: { type: 'pickup', display: 'Pickup 12:30' } }),
    ).toBe('Pickup 12:30');
    const delivery = {
      type: 'delivery',
      display: 'Delivery to 1 Main St, 10001 Springfield',
      fee: usd(399),
      arrival_window: { start: '', end: '', display: 'around 12:50 PM' },
    };
    expect(logic.fulfillmentLine({ ...pickup, fulfillment: delivery })).toBe(
      'Delivery to 1 Main St, 10001 Springfield · fee $3.99 · arrives around 12:50 PM',
    );
  });

  it('links only to web addresses', () => {
    expect(logic.webLink('https://shop.example/confirm/o1')).toBe('https://shop.example/confirm/o1');
    expect(logic.webLink('javascript:alert(1)')).toBeNull();
  });
});

describe('bridge', () => {
  it('initializes, applies the host theme, and only listens to the host frame', async () => {
    const widget = runWidget(
      `<script>${APP_BRIDGE_SCRIPT}
      var seen = []; var b = createAppBridge({ appInfo: { name: 't', version: '1' }, onToolResult: function (r) { seen.push(r); } });
      b.connect();</script>`,
      [],
    );
    expect(widget.posted[0]).toMatchObject({
      method: 'ui/initialize',
      params: { protocolVersion: '2026-01-26', appInfo: { name: 't' }, appCapabilities: {} },
    });
    await widget.answer('ui/initialize', {
      ...HOST_INIT,
      hostContext: { theme: 'dark', styles: { variables: { '--color-text-primary': '#fafafa' } } },
    });
    expect(widget.posted.slice(1)).toEqual([
      { jsonrpc: '2.0', method: 'ui/notifications/initialized', params: {} },
      { jsonrpc: '2.0', method: 'ui/notifications/size-changed', params: { width: 390, height: 524 } },
    ]);
    expect(widget.root.getAttribute('data-theme')).toBe('dark');
    expect(widget.root.style.vars.get('--color-text-primary')).toBe('#fafafa');

    widget.fromHost({ jsonrpc: '2.0', id: 'h1', method: 'ping' });
    widget.fromHost({ jsonrpc: '2.0', id: 'h2', method: 'sampling/createMessage' });
    expect(widget.posted.slice(-2)).toEqual([
      { jsonrpc: '2.0', id: 'h1', result: {} },
      {
        jsonrpc: '2.0',
        id: 'h2',
        error: { code: -32601, message: 'Method not found: sampling/createMessage' },
      },
    ]);
    const before = widget.posted.length;
    widget.fromHost({ jsonrpc: '2.0', id: 'h3', method: 'ping' }, { stranger: true });
    expect(widget.posted).toHaveLength(before);
  });
});

describe('menu widget', () => {
  const base = { description: '', category: 'Food', price: usd(500), dietary: [], allergens: [] };
  const flags = { sold_out: false, available_now: true, has_options: false };
  const item = (item_id: string, name: string, more: Partial<Summary> = {}): Summary => {
    return { item_id, name, ...base, ...flags, ...more };
  };
  const option = (option_id: string, name: string, cents: number, is_default = false) => {
    return { option_id, name, price: usd(cents), is_default, sold_out: false };
  };
  const { items } = searchResultSchema.parse({
    total: 5,
    items: [
      item('fries', 'Fries', { description: 'Crispy', price: usd(350), dietary: ['vegan'] }),
      item('cheeseburger', 'Cheeseburger', {
        price: usd(995),
        image_url: 'https://img.example/cb.jpg',
        allergens: ['gluten', 'milk'],
        available_now: false,
        has_options: true,
      }),
      item('shake', '<b>Shake</b>', { sold_out: true }),
    ],
  });
  const patty = [option('single', 'Single beef', 0, true), option('double', 'Double beef', 250)];
  const detail = menuItemDetailSchema.parse({
    ...items[1],
    max_quantity: 10,
    modifier_groups: [
      {
        group_id: 'patty',
        name: 'Patty',
        selection: 'single',
        min: 1,
        max: 1,
        required: true,
        options: patty,
      },
      { group_id: 'hold', name: 'Hold', selection: 'multiple', min: 0, max: 2, required: false, options: [] },
    ],
  });
  detail.modifier_groups[1]?.options.push(option('no-onions', 'No onions', 0));

  async function shownMenu(hostCapabilities: object = HOST_INIT.hostCapabilities) {
    const widget = runWidget(menuWidgetHtml(), ['status', 'cards', 'more', 'toast']);
    await widget.answer('ui/initialize', { ...HOST_INIT, hostCapabilities });
    widget.fromHost({
      jsonrpc: '2.0',
      method: 'ui/notifications/tool-result',
      params: { content: [], structuredContent: { items, total: 5 } },
    });
    const cards = widget.node('cards').children;
    const button = (card: FakeNode | undefined) =>
      card?.all().find((n) => n.tagName === 'button') as FakeNode;
    return { widget, cards, button };
  }

  it('renders cards with prices, badges, tags and allergens as text', async () => {
    const { widget, cards, button } = await shownMenu();
    expect(cards.map((c) => c.textContent)).toEqual([
      'FFriesCrispyvegan$3.50Add',
      'CCheeseburgerNot available nowContains: gluten, milk$9.95Add',
      '<<b>Shake</b>Sold out$5.00Add',
    ]);
    expect(cards[1]?.all().some((n) => n.tagName === 'img')).toBe(false);
    expect(button(cards[2]).disabled).toBe(true);
    expect(widget.node('status').textContent).toBe('3 items');
    expect(widget.node('more').hidden).toBe(false);
  });

  it('shows a photo only from an origin the host approved', async () => {
    const { cards } = await shownMenu({ sandbox: { csp: { resourceDomains: ['https://img.example'] } } });
    const photo = cards[1]?.all().find((n) => n.tagName === 'img');
    expect(photo?.getAttribute('src')).toBe('https://img.example/cb.jpg');
  });

  it('asks the assistant to add a simple item, handing it the exact ids', async () => {
    const { widget, cards, button } = await shownMenu();
    fire(button(cards[0]), 'click');
    await flush();
    expect(widget.posted.at(-1)).toMatchObject({
      method: 'ui/update-model-context',
      params: { structuredContent: { menu_widget_pick: { item_id: 'fries', quantity: 1, option_ids: [] } } },
    });
    await widget.answer('ui/update-model-context', {});
    expect(widget.posted.at(-1)).toMatchObject({
      method: 'ui/message',
      params: { role: 'user', content: [{ type: 'text', text: 'Add 1 × Fries to my order' }] },
    });
    expect(widget.posted.some((m) => m.method === 'tools/call')).toBe(false);
  });

  it('loads the options of an item, checks the choice, and sends it', async () => {
    const { widget, cards, button } = await shownMenu();
    fire(button(cards[1]), 'click');
    expect(widget.posted.at(-1)).toMatchObject({
      method: 'tools/call',
      params: { name: 'get_menu_item', arguments: { item_id: 'cheeseburger' } },
    });
    await widget.answer('tools/call', { content: [], structuredContent: detail });
    const form = cards[1]?.all().find((n) => n.tagName === 'form') as FakeNode;
    const input = (label: string) =>
      form.all().find((n) => n.tagName === 'label' && n.textContent.startsWith(label))
        ?.children[0] as FakeNode;
    expect(input('Single beef').checked).toBe(true);
    input('Single beef').checked = false;
    fire(form, 'submit');
    expect(form.all().find((n) => n.getAttribute('role') === 'alert')?.textContent).toBe(
      'Patty: choose one.',
    );
    input('Double beef').checked = true;
    input('No onions').checked = true;
    fire(form, 'submit');
    await flush();
    await widget.answer('ui/update-model-context', {});
    expect(widget.posted.at(-1)).toMatchObject({
      params: { content: [{ text: 'Add 1 × Cheeseburger (Double beef, No onions) to my order' }] },
    });
  });
});

describe('order widget', () => {
  const options = [
    { option_id: 'double', name: 'Double beef', price: usd(250) },
    { option_id: 'no-onions', name: 'No onions', price: usd(0) },
  ];
  const line = {
    line_id: 'l1',
    item_id: 'cheeseburger',
    name: 'Cheeseburger',
    quantity: 2,
    note: 'well done',
  };
  const order = orderSchema.parse({
    order_id: 'o1',
    code: 'K7',
    status: 'awaiting_confirmation',
    lines: [{ ...line, options, unit_price: usd(900), line_total: usd(1800) }],
    pickup: { requested: 'asap', display: '12:30' },
    customer: { name: 'Ana' },
    totals: {
      subtotal: usd(1800),
      tax: usd(150),
      tax_included: true,
      fee: usd(0),
      tip: usd(200),
      discount: usd(0),
      total: usd(2000),
    },
    offers_applied: [],
    problems: [{ code: 'closed', message: 'The shop is closed.', suggestion: 'Pick a later time.' }],
    confirmation_url: 'https://shop.example/confirm/o1',
    next_step: 'for the model',
  });

  it('shows code, status, lines, totals and problems; opens the pay link through the host', async () => {
    const widget = runWidget(orderWidgetHtml(), ['orders']);
    await widget.answer('ui/initialize', HOST_INIT);
    widget.fromHost({
      jsonrpc: '2.0',
      method: 'ui/notifications/tool-result',
      params: { content: [], structuredContent: order },
    });
    const main = widget.node('orders');
    const texts = main
      .all()
      .filter((n) => n.tagName !== '#text' && n.children.every((c) => c.tagName === '#text'));
    expect(texts.map((n) => n.textContent).join(' | ')).toBe(
      'K7 | Waiting for payment | Pickup 12:30 · for Ana | Before this order can be placed | ' +
        'The shop is closed. Pick a later time. | 2 × Cheeseburger | Double beef, No onions | ' +
        'Note: well done | $18.00 | Subtotal | $18.00 | Tax (included) | $1.50 | Tip | $2.00 | Total | ' +
        '$20.00 | Confirm & pay on your phone | https://shop.example/confirm/o1 | Check status',
    );
    const link = main.all().find((n) => n.tagName === 'a') as FakeNode;
    expect([link.getAttribute('href'), link.getAttribute('target'), link.getAttribute('rel')]).toEqual([
      'https://shop.example/confirm/o1',
      '_blank',
      'noopener noreferrer',
    ]);
    fire(link, 'click');
    expect(widget.posted.at(-1)).toMatchObject({
      method: 'ui/open-link',
      params: { url: order.confirmation_url },
    });

    const check = main.all().find((n) => n.tagName === 'button') as FakeNode;
    fire(check, 'click');
    expect(widget.posted.at(-1)).toMatchObject({
      method: 'tools/call',
      params: { name: 'get_order_status' },
    });
    await widget.answer('tools/call', {
      content: [],
      structuredContent: { ...order, status: 'paid', problems: [] },
    });
    expect(main.children).toHaveLength(1);
    expect(main.textContent).toContain('Paid · in the queue');
  });
});

describe('MCP resources', () => {
  /** The SDK's own server, asked through the transport /mcp uses, for what a client would read. */
  async function connected() {
    const server = new McpServer({ name: 'counterpi-test', version: '0.0.0' });
    registerUiResources(server, 'https://burgers.example.com');
    server.registerTool('search_menu', { description: 'Search', _meta: uiToolMeta(MENU_WIDGET_URI) }, () => ({
      content: [{ type: 'text', text: 'ok' }],
    }));
    const transport = await connectCallTransport(server);
    const auth = { token: '', clientId: 'test', scopes: [] };
    let id = 0;
    const ask = async (method: string, params: JSONRPCRequest['params'] = {}) => {
      id += 1;
      const answer = await transport.call({ jsonrpc: '2.0', id, method, params }, auth);
      if (!('result' in answer)) throw new Error(`${method} failed: ${JSON.stringify(answer)}`);
      return answer.result as Record<string, unknown>;
    };
    return { ask, close: () => transport.close() };
  }

  it('lists and reads both widgets with the MCP App MIME type, _meta.ui and ChatGPT’s keys', async () => {
    const { ask, close } = await connected();
    const ui = { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true };
    const shop = 'https://burgers.example.com';
    // Apps SDK reference, resource _meta: the menu widget opens no link; the order widget the shop's pages.
    const menuMeta = {
      ui,
      'openai/widgetDomain': shop,
      'openai/widgetCSP': { connect_domains: [], resource_domains: [] },
    };
    const orderMeta = {
      ui,
      'openai/widgetDomain': shop,
      'openai/widgetCSP': { connect_domains: [], resource_domains: [], redirect_domains: [shop] },
    };
    const { resources } = (await ask('resources/list')) as {
      resources: { uri: string; mimeType: string; _meta: { ui?: object } }[];
    };
    expect(resources.map((r) => [r.uri, r.mimeType, r._meta]).sort()).toEqual([
      [MENU_WIDGET_URI, MCP_APP_MIME_TYPE, menuMeta],
      [ORDER_WIDGET_URI, MCP_APP_MIME_TYPE, orderMeta],
    ]);
    // The redirect domains follow the code: only the order widget opens a link (the confirmation page).
    const ownScript = (html: string) => scriptOf(html).replace(APP_BRIDGE_SCRIPT, '');
    const opensLink = /bridge\.openLink\(|window\.open\(|location\.(href|assign|replace)/;
    expect(ownScript(menuWidgetHtml())).not.toMatch(opensLink);
    expect(ownScript(orderWidgetHtml())).toMatch(opensLink);
    // Never ui.domain: Claude refuses a widget whose domain is not one of its own.
    for (const r of resources) expect(r._meta.ui).not.toHaveProperty('domain');
    for (const [uri, html, meta] of [
      [MENU_WIDGET_URI, menuWidgetHtml(), menuMeta],
      [ORDER_WIDGET_URI, orderWidgetHtml(), orderMeta],
    ] as const) {
      const { contents } = await ask('resources/read', { uri });
      expect(contents).toEqual([{ uri, mimeType: 'text/html;profile=mcp-app', text: html, _meta: meta }]);
    }
    const { tools } = (await ask('tools/list')) as { tools: { _meta?: unknown }[] };
    expect(tools[0]?._meta).toMatchObject({
      ui: { resourceUri: 'ui://counterpi/menu.html' },
      'openai/outputTemplate': 'ui://counterpi/menu.html',
    });
    await close();
  });
});
