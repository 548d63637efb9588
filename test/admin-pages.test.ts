import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acpClient } from './helpers/acp-client.js';
import { BOWLS_CSV, BROKEN_BOWLS_CSV, orderOnce, uploadMenu } from './helpers/admin-pages.js';
import { answerText } from './helpers/mcp-answer.js';
import { type Assistant, assistant } from './helpers/mcp-caller.js';
import { audited, db, type OwnerBrowser, onboard } from './helpers/owner-browser.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

let t: TestApp;
let owner: OwnerBrowser;
let customer: Assistant;
beforeAll(async () => {
  t = await startTestApp();
  owner = await onboard(t);
  customer = await assistant(t, 'ada');
});
afterAll(async () => {
  await customer?.close();
  await t?.stop();
});

/** The session's form token, from any owner page. */
async function csrf(): Promise<string> {
  const page = await owner.get('/admin/menu');
  expect(page.csrf).toBeDefined();
  return page.csrf ?? '';
}

function setting(key: string): unknown {
  const conn = db(t);
  try {
    return JSON.parse(conn.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string);
  } finally {
    conn.close();
  }
}

/** The first column of the first row a query gives. */
function value(sql: string): unknown {
  const conn = db(t);
  try {
    return conn.prepare(sql).pluck().get();
  } finally {
    conn.close();
  }
}

function count(sql: string): number {
  return value(sql) as number;
}

/** Text as the page shows it: hono/jsx escapes quotes. */
function shown(html: string): string {
  return html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The problem shown next to a field (the element `<field>-error`). */
function errorOf(html: string, field: string): string | undefined {
  const found = new RegExp(`id="${field.replace(/\./g, '\\.')}-error">([^<]*)<`).exec(html)?.[1];
  return found === undefined ? undefined : shown(found);
}

describe('every owner page', () => {
  const pages: [string, string][] = [
    ['/admin/menu', 'Menu'],
    ['/admin/menu/items/cheeseburger', 'Cheeseburger'],
    ['/admin/menu/new-item', 'Add an item'],
    ['/admin/menu/groups/patty', 'Patty'],
    ['/admin/menu/import', 'Import a menu file'],
    ['/admin/offers', 'Offers'],
    ['/admin/offers/new/meal_deal', 'Add an offer'],
    ['/admin/offers/stamp-card', 'Stamp card'],
    ['/admin/settings', 'Settings'],
    ['/admin/keys', 'Keys and webhooks'],
    ['/admin/audit', 'Audit log'],
    ['/admin/backups', 'Backups'],
    ['/admin/sales', 'Sales'],
    ['/admin/reports', 'Day close'],
    ['/admin/orders/new', 'Take an order'],
    ['/admin/stations', 'Kitchen stations'],
  ];

  it('renders in the layout, with every page in the nav, never cached or framed', async () => {
    for (const [path, title] of pages) {
      const page = await owner.get(path);
      expect(page.status, path).toBe(200);
      expect(page.text).toContain(`<h1>${title}</h1>`);
      const nav = [...page.text.matchAll(/<nav[\s\S]*?<\/nav>/g)][0]?.[0] ?? '';
      expect([...nav.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1])).toEqual([
        '/admin',
        '/admin/orders/new',
        '/admin/sales',
        '/admin/menu',
        '/admin/offers',
        '/admin/stations',
        '/admin/settings',
        '/admin/keys',
        '/admin/connect',
        '/admin/audit',
        '/admin/backups',
        '/admin/reports',
        '/admin/guide',
      ]);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
    const menu = await owner.get('/admin/menu');
    expect(menu.text).toContain('Cheeseburger');
    expect(menu.text).toContain('$10.95');
  });

  it('sends a visitor without a session to the login, and a form without one gets 401', async () => {
    const stranger = (await import('./helpers/owner-browser.js')).ownerBrowser(t.url);
    for (const [path] of pages) expect((await stranger.get(path)).location).toBe('/admin/login');
    expect((await stranger.post('/admin/keys/acp', { name: 'Evil' })).status).toBe(401);
  });

  it('refuses every form without the session token, and changes nothing', async () => {
    const keys = count('SELECT count(*) FROM acp_api_keys');
    const forms: [string, Record<string, string>][] = [
      ['/admin/menu/items/cheeseburger/sold-out', { sold_out: 'yes' }],
      ['/admin/menu/options/patty-beef/sold-out', { sold_out: 'yes' }],
      ['/admin/menu/items/cheeseburger', { name: 'Hacked', price: '0', category: 'burgers' }],
      ['/admin/menu/groups/patty', { name: 'Hacked', selection: 'single', min: '0', max: '1' }],
      [
        '/admin/settings/pickup',
        { leadMinutes: '1', slotMinutes: '5', slotCapacity: '0', maxDaysAhead: '0' },
      ],
      ['/admin/settings/pause', { paused: 'yes' }],
      ['/admin/keys/acp', { name: 'Evil' }],
      ['/admin/keys/tokens', { name: 'Evil', days: '30', order: 'on' }],
      ['/admin/keys/webhooks', { url: 'https://evil.example.com/hook' }],
      ['/admin/backups/run', {}],
    ];
    for (const [path, form] of forms) {
      for (const token of [undefined, 'not-the-token']) {
        const answer = await owner.post(path, token === undefined ? form : { ...form, csrf: token });
        expect(answer.status, path).toBe(403);
        expect(answer.text).toContain('Nothing changed');
      }
    }
    const upload = await uploadMenu(t, owner, { name: 'menu.csv', text: BOWLS_CSV }, undefined);
    expect(upload.status).toBe(403);
    expect(count('SELECT count(*) FROM acp_api_keys')).toBe(keys);
    expect(count("SELECT sold_out FROM items WHERE id = 'cheeseburger'")).toBe(0);
    expect(count("SELECT count(*) FROM items WHERE name = 'Hacked'")).toBe(0);
    expect(setting('pausedByOwner')).toBe(false);
    expect((setting('pickup') as { leadMinutes: number }).leadMinutes).not.toBe(1);
  });
});

describe('the menu', () => {
  it('refuses a CSV with broken rows, shows each problem by row and column, and changes nothing', async () => {
    const before = (await owner.get('/admin/menu/export.csv')).text;
    const refused = await uploadMenu(t, owner, { name: 'bowls.csv', text: BROKEN_BOWLS_CSV }, await csrf());
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('bowls.csv was refused');
    expect(refused.text).toContain('nothing was changed');
    const cells = [
      ...refused.text.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g),
    ].map((m) => [m[1], m[2], shown(m[3] ?? '')]);
    expect(cells).toEqual([
      ['6', 'price', expect.stringContaining('13.5O')],
      ['7', 'dietary', expect.stringContaining("'vegn' is not a dietary tag")],
    ]);
    expect((await owner.get('/admin/menu/export.csv')).text).toBe(before);
    expect(audited(t, 'owner.menu.import').map((r) => r.outcome)).toEqual(['menu_import_invalid']);
  });

  it('exports the menu as a CSV download that reads back', async () => {
    const csv = await owner.get('/admin/menu/export.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="menu-2026-11-24\.csv"$/);
    const rows = parse(csv.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.id === 'cheeseburger')).toMatchObject({ kind: 'item', price: '10.95' });
    const json = await owner.get('/admin/menu/export.json');
    expect(JSON.parse(json.text)).toHaveProperty('items');
  });

  it('replaces the whole menu with a good CSV, for search and ordering at once', async () => {
    const done = await uploadMenu(t, owner, { name: 'bowls.csv', text: BOWLS_CSV }, await csrf());
    expect(done.status).toBe(303);
    expect(done.location).toBe('/admin/menu');
    const menu = await owner.get('/admin/menu');
    expect(menu.text).toContain('The menu is replaced: 2 items in 1 categories, 1 option groups.');
    expect(menu.text).toContain('Poke Bowl');
    expect(menu.text).not.toContain('Cheeseburger');
    const found = await customer.call('search_menu', { query: 'poke' });
    expect(answerText(found)).toContain('Poke Bowl');
    const gone = await orderOnce(t, 'cheeseburger');
    expect(gone.isError).toBe(true);
    expect(answerText(gone)).toContain('item_not_found');
    expect(audited(t, 'owner.menu.import').map((r) => r.outcome)).toEqual(['menu_import_invalid', 'ok']);
  });

  it('marks an item sold out, which MCP create_order then refuses, and back on', async () => {
    const token = await csrf();
    const out = await owner.post('/admin/menu/items/poke-bowl/sold-out', {
      csrf: token,
      sold_out: 'yes',
      back: '/admin/menu#item-poke-bowl',
    });
    expect(out.status).toBe(303);
    expect(out.location).toBe('/admin/menu#item-poke-bowl');
    expect((await owner.get('/admin/menu')).text).toContain('Poke Bowl is sold out');
    const refused = await orderOnce(t, 'poke-bowl', ['bowl-regular']);
    expect(refused.isError).toBe(true);
    expect(answerText(refused)).toContain('item_sold_out');
    expect(audited(t, 'owner.menu.item.sold_out')).toEqual([
      { actor_kind: 'owner', outcome: 'ok', target: 'poke-bowl' },
    ]);
    await owner.post('/admin/menu/items/poke-bowl/sold-out', {
      csrf: token,
      sold_out: 'no',
      back: 'https://evil.example',
    });
    const ordered = await orderOnce(t, 'poke-bowl', ['bowl-regular']);
    expect(ordered.isError).toBeFalsy();
  });

  it('marks an option sold out for ordering too', async () => {
    const token = await csrf();
    expect(
      (await owner.post('/admin/menu/options/bowl-large/sold-out', { csrf: token, sold_out: 'yes' })).status,
    ).toBe(303);
    const refused = await orderOnce(t, 'tofu-bowl', ['bowl-large']);
    expect(answerText(refused)).toContain('option_sold_out');
    await owner.post('/admin/menu/options/bowl-large/sold-out', { csrf: token, sold_out: 'no' });
    expect((await orderOnce(t, 'tofu-bowl', ['bowl-large'])).isError).toBeFalsy();
    expect(
      (await owner.post('/admin/menu/options/nope/sold-out', { csrf: token, sold_out: 'yes' })).status,
    ).toBe(404);
  });

  it('edits an item: a wrong price and an empty name are shown next to their fields, a good edit is live', async () => {
    const token = await csrf();
    const form = {
      csrf: token,
      name: '',
      description: 'Crispy tofu, greens, sesame',
      price: '12,5',
      category: 'bowls',
      dietary: 'vegan',
      allergens: 'soy',
      groups: 'bowl-size',
    };
    const wrong = await owner.post('/admin/menu/items/tofu-bowl', form);
    expect(wrong.status).toBe(422);
    expect(errorOf(wrong.text, 'price')).toBe('Write the price in USD like 10.95.');
    expect(errorOf(wrong.text, 'name')).toBe('Every item needs a name.');
    expect(wrong.text).toContain('value="12,5"');
    const saved = await owner.post('/admin/menu/items/tofu-bowl', {
      ...form,
      name: 'Tofu Bowl',
      price: '12.50',
    });
    expect(saved.status).toBe(303);
    const item = await customer.call('get_menu_item', { item_id: 'tofu-bowl' });
    expect(answerText(item)).toContain('$12.50');
    expect(answerText(item)).toContain('Crispy tofu, greens, sesame');
    expect(audited(t, 'owner.menu.item.update').map((r) => r.target)).toEqual(['tofu-bowl']);
  });

  it('adds an item, found by search at once', async () => {
    const token = await csrf();
    const taken = await owner.post('/admin/menu/new-item', {
      csrf: token,
      id: 'poke-bowl',
      name: 'Miso Soup',
      price: '4',
      category: 'bowls',
    });
    expect(taken.status).toBe(422);
    expect(errorOf(taken.text, 'id')).toContain("already has the id 'poke-bowl'");
    const added = await owner.post('/admin/menu/new-item', {
      csrf: token,
      id: 'miso-soup',
      name: 'Miso Soup',
      price: '4',
      category: 'bowls',
      dietary: 'vegan',
    });
    expect(added.status).toBe(303);
    expect(answerText(await customer.call('search_menu', { query: 'miso' }))).toContain('Miso Soup');
  });

  it('edits an option group: prices, a new option, and limits checked like an import', async () => {
    const token = await csrf();
    const form = {
      csrf: token,
      name: 'Size',
      selection: 'single',
      min: '1',
      max: '1',
      'opt.bowl-regular.name': 'Regular',
      'opt.bowl-regular.price': '',
      'opt.bowl-regular.default': 'on',
      'opt.bowl-large.name': 'Large',
      'opt.bowl-large.price': '2.50',
      'new.id': 'bowl-xl',
      'new.name': 'Extra large',
      'new.price': '4',
    };
    const wrong = await owner.post('/admin/menu/groups/bowl-size', {
      ...form,
      max: '3',
      'new.price': 'lots',
    });
    expect(wrong.status).toBe(422);
    expect(errorOf(wrong.text, 'max')).toContain('single-choice group');
    expect(errorOf(wrong.text, 'new.price')).toContain('Write the extra charge');
    expect((await owner.post('/admin/menu/groups/bowl-size', form)).status).toBe(303);
    const csv = parse((await owner.get('/admin/menu/export.csv')).text, {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    expect(csv.filter((r) => r.kind === 'option').map((r) => [r.id, r.price, r.default])).toEqual([
      ['bowl-regular', '0.00', 'yes'],
      ['bowl-large', '2.50', 'no'],
      ['bowl-xl', '4.00', 'no'],
    ]);
  });
});

describe('the settings', () => {
  it('shows every problem next to its field and saves nothing', async () => {
    const before = setting('pickup');
    const wrong = await owner.post('/admin/settings/pickup', {
      csrf: await csrf(),
      leadMinutes: 'soon',
      slotMinutes: '3',
      slotCapacity: '10',
      maxDaysAhead: '99',
    });
    expect(wrong.status).toBe(422);
    expect(errorOf(wrong.text, 'leadMinutes')).toBe('Enter a number.');
    expect(errorOf(wrong.text, 'slotMinutes')).toBe('At least 5.');
    expect(errorOf(wrong.text, 'maxDaysAhead')).toBe('At most 30.');
    expect(errorOf(wrong.text, 'slotCapacity')).toBeUndefined();
    expect(wrong.text).toContain('3 things need fixing; nothing was saved.');
    expect(setting('pickup')).toEqual(before);

    const pins = await owner.post('/admin/settings/gpio', {
      csrf: await csrf(),
      ledPin: '17',
      buzzerPin: '17',
      bumpButtonPin: '60',
      openSwitchPin: '22',
    });
    expect(errorOf(pins.text, 'buzzerPin')).toBe(
      'Pin 17 is already used for "New-order LED": each part needs its own pin.',
    );
    expect(errorOf(pins.text, 'bumpButtonPin')).toBe('At most 53.');
  });

  it('saves pickup, tax and fees, and the shop uses them at once', async () => {
    const token = await csrf();
    const pickup = { leadMinutes: '25', slotMinutes: '10', slotCapacity: '4', maxDaysAhead: '3' };
    expect((await owner.post('/admin/settings/pickup', { csrf: token, ...pickup })).location).toBe(
      '/admin/settings#pickup',
    );
    expect(setting('pickup')).toEqual({ leadMinutes: 25, slotMinutes: 10, slotCapacity: 4, maxDaysAhead: 3 });
    const info = await customer.call('get_shop_info', {});
    expect(info.structuredContent?.pickup_lead_minutes).toBe(25);

    const tax = await owner.post('/admin/settings/tax', {
      csrf: token,
      inclusive: 'inclusive',
      defaultRateId: 'nope',
      'rates.0.name': 'Sales tax',
      'rates.0.percent': '101',
    });
    expect(errorOf(tax.text, 'defaultRateId')).toBe('Choose one of the rates.');
    expect(errorOf(tax.text, 'rates.0.percent')).toBe('At most 100.');

    const fees = await owner.post('/admin/settings/fees', {
      csrf: token,
      'serviceFee.kind': 'fixed',
      'serviceFee.amount': '0.50',
      'tips.enabled': 'on',
      'tips.suggestedPercents': '10, 15, 20',
    });
    expect(fees.status).toBe(303);
    expect(setting('fees')).toEqual({
      serviceFee: { kind: 'fixed', amount: 50 },
      tips: { enabled: true, suggestedPercents: [10, 15, 20] },
    });
    expect(audited(t, 'owner.settings.fees')).toHaveLength(1);
  });

  it('edits the week and the exceptions: a closed day and special hours', async () => {
    const week = Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].flatMap((d) => [
        [`weekly.${d}.0.open`, '00:00'],
        [`weekly.${d}.0.close`, '24:00'],
      ]),
    );
    const form = {
      csrf: await csrf(),
      timezone: 'America/New_York',
      ...week,
      'exceptions.0.date': '2026-12-25',
      'exceptions.0.ranges': '',
      'exceptions.0.note': 'Christmas',
      'exceptions.1.date': '2026-12-31',
      'exceptions.1.ranges': '11:00-14:00, 17:00-21:00',
      'exceptions.1.note': '',
    };
    const wrong = await owner.post('/admin/settings/hours', {
      ...form,
      'weekly.tue.1.open': '25:00',
      'weekly.tue.1.close': '26:00',
      'exceptions.1.ranges': '11-14',
    });
    expect(wrong.status).toBe(422);
    expect(errorOf(wrong.text, 'weekly.tue.1.open')).toBe('Write a time like 07:30.');
    expect(errorOf(wrong.text, 'exceptions.1.ranges')).toBe('Write a time like 07:30.');
    const saved = await owner.post('/admin/settings/hours', form);
    expect(saved.status).toBe(303);
    expect((setting('hours') as { exceptions: unknown }).exceptions).toEqual([
      { date: '2026-12-25', ranges: [], note: 'Christmas' },
      {
        date: '2026-12-31',
        ranges: [
          { open: '11:00', close: '14:00' },
          { open: '17:00', close: '21:00' },
        ],
      },
    ]);
    const page = await owner.get('/admin/settings');
    expect(page.text).toContain('value="11:00-14:00, 17:00-21:00"');
  });

  it('pauses ordering, which assistants hear at once, and resumes it', async () => {
    const token = await csrf();
    expect((await owner.post('/admin/settings/pause', { csrf: token, paused: 'yes' })).status).toBe(303);
    const closed = await orderOnce(t, 'tofu-bowl', ['bowl-regular']);
    expect(answerText(closed)).toContain('shop_closed');
    await owner.post('/admin/settings/pause', { csrf: token, paused: 'no' });
    expect((await orderOnce(t, 'tofu-bowl', ['bowl-regular'])).isError).toBeFalsy();
    expect(audited(t, 'owner.ordering.pause')).toHaveLength(1);
  });

  it('prints a test ticket and tests the LED and buzzer', async () => {
    const token = await csrf();
    await owner.post('/admin/settings/printer/test', { csrf: token });
    expect((await owner.get('/admin/settings')).text).toContain('Test ticket');
    expect(readdirSync(join(t.dataDir, 'tickets')).some((f) => f.startsWith('test-'))).toBe(true);
    await owner.post('/admin/settings/gpio/test', { csrf: token });
    expect((await owner.get('/admin/settings')).text).toContain('The LED lights for two seconds');
  });
});

describe('the keys', () => {
  it('shows a new ACP key once; it works for checkout until it is revoked', async () => {
    const refused = await owner.post('/admin/keys/acp', { csrf: await csrf(), name: '' });
    expect(errorOf(refused.text, 'acp-name')).toContain('Give the key a name');
    const made = await owner.post('/admin/keys/acp', {
      csrf: await csrf(),
      name: 'Agent Smith',
      signing: 'on',
    });
    expect(made.status).toBe(200);
    expect(made.headers['cache-control']).toBe('no-store');
    const secret = /cpk_[A-Za-z0-9_-]{43}/.exec(made.text)?.[0] ?? '';
    expect(made.text).toMatch(/cps_[A-Za-z0-9_-]{43}/);
    expect(made.text).toContain('shown only this once');
    const list = await owner.get('/admin/keys');
    expect(list.text).toContain('Agent Smith');
    expect(list.text).not.toContain(secret);
    expect(list.text).toContain(`ends in ${secret.slice(-4)}`);

    const unsigned = await owner.post('/admin/keys/acp', { csrf: await csrf(), name: 'Le Chat' });
    const plain = /cpk_[A-Za-z0-9_-]{43}/.exec(unsigned.text)?.[0] ?? '';
    const agent = acpClient(t.url, plain);
    expect((await agent.post('/checkout_sessions', { line_items: [{ id: 'tofu-bowl' }] })).status).toBe(201);
    const id = /action="\/admin\/keys\/acp\/(key_[^/]+)\/revoke"/.exec(
      (await owner.get('/admin/keys')).text.split('Le Chat')[1] ?? '',
    )?.[1];
    expect(id).toBeDefined();
    const revoked = await owner.post(`/admin/keys/acp/${id}/revoke`, { csrf: await csrf() });
    expect(revoked.location).toBe('/admin/keys#acp');
    expect((await agent.post('/checkout_sessions', { line_items: [{ id: 'tofu-bowl' }] })).status).toBe(401);
    expect(audited(t, 'owner.acp-key.revoke').map((r) => r.target)).toEqual([id]);
  });

  it('issues a customer token once, lists it and revokes it', async () => {
    const wrong = await owner.post('/admin/keys/tokens', {
      csrf: await csrf(),
      name: 'Inspector',
      days: '0',
    });
    expect(errorOf(wrong.text, 'days')).toContain('from 1 to 365');
    const issued = await owner.post('/admin/keys/tokens', {
      csrf: await csrf(),
      name: 'Inspector',
      days: '30',
      order: 'on',
    });
    expect(issued.status).toBe(200);
    expect(issued.text).toMatch(/value="eyJ[\w-]+\.[\w-]+\.[\w-]+"/);
    const jti = value("SELECT jti FROM owner_tokens WHERE name = 'Inspector'") as string;
    expect((await owner.get('/admin/keys')).text).toContain(jti.slice(0, 12));
    await owner.post(`/admin/keys/tokens/${jti}/revoke`, { csrf: await csrf() });
    expect(value(`SELECT revoked_at FROM owner_tokens WHERE jti = '${jti}'`)).toBe(
      Date.parse('2026-11-24T17:00:00Z'),
    );
    expect(audited(t, 'owner.token.revoke').map((r) => r.target)).toEqual([jti]);
  });

  it('adds a webhook with its secret shown once, and removes it', async () => {
    const wrong = await owner.post('/admin/keys/webhooks', {
      csrf: await csrf(),
      url: 'http://hooks.example.com/x',
    });
    expect(errorOf(wrong.text, 'url')).toContain('https');
    const added = await owner.post('/admin/keys/webhooks', {
      csrf: await csrf(),
      url: 'https://hooks.example.com/orders',
    });
    expect(added.text).toMatch(/whsec_[A-Za-z0-9_-]{43}/);
    const id = /\/admin\/keys\/webhooks\/(whk_[^/]+)\/remove/.exec(
      (await owner.get('/admin/keys')).text,
    )?.[1];
    await owner.post(`/admin/keys/webhooks/${id}/remove`, { csrf: await csrf() });
    const page = await owner.get('/admin/keys');
    expect(page.text).toContain('https://hooks.example.com/orders gets no more events.');
    expect(page.text.split('id="webhooks"')[1]).toContain('No webhooks.');
  });
});

describe('the audit log', () => {
  it('lists the newest first, filters, pages, exports CSV and checks the chain', async () => {
    const token = await csrf();
    for (let i = 0; i < 30; i += 1) {
      await owner.post('/admin/menu/items/miso-soup/sold-out', { csrf: token, sold_out: 'yes' });
      await owner.post('/admin/menu/items/miso-soup/sold-out', { csrf: token, sold_out: 'no' });
    }
    const first = await owner.get('/admin/audit?action=owner.menu.item.');
    const seqs = [...first.text.matchAll(/#(\d+) · /g)].map((m) => Number(m[1]));
    expect(seqs).toHaveLength(50);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(first.text).not.toContain('owner.settings');
    const older = /href="(\/admin\/audit\?action=owner\.menu\.item\.&amp;before=\d+)"/.exec(first.text)?.[1];
    expect(older).toBeDefined();
    const second = await owner.get((older ?? '').replace(/&amp;/g, '&'));
    const next = [...second.text.matchAll(/#(\d+) · /g)].map((m) => Number(m[1]));
    expect(Math.max(...next)).toBeLessThan(Math.min(...seqs));

    const none = await owner.get('/admin/audit?since=2026-11-25');
    expect(none.text).toContain('No rows');
    const bad = await owner.get('/admin/audit?until=yesterday');
    expect(errorOf(bad.text, 'until')).toBe('Write a date like 2026-11-24.');

    const csv = await owner.get('/admin/audit/export.csv?action=owner.settings.&until=2026-11-24');
    expect(csv.headers['content-disposition']).toContain('attachment');
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.action?.startsWith('owner.settings.'))).toBe(true);

    const verified = await owner.get('/admin/audit?verify=1');
    expect(verified.text).toContain('The chain is intact');
  });
});

describe('the backups', () => {
  it('backs up now, lists the file for download and says how to restore', async () => {
    const made = await owner.post('/admin/backups/run', { csrf: await csrf() });
    expect(made.location).toBe('/admin/backups');
    const page = await owner.get('/admin/backups');
    expect(page.text).toContain('Backed up: counterpi-2026-11-24.db');
    expect(page.text).toContain('counterpi restore FILE');
    expect(existsSync(join(t.dataDir, 'backups', 'counterpi-2026-11-24.db'))).toBe(true);
    const file = await owner.get('/admin/backups/files/counterpi-2026-11-24.db');
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toBe('attachment; filename="counterpi-2026-11-24.db"');
    expect(file.text.startsWith('SQLite format 3')).toBe(true);
    expect((await owner.get('/admin/backups/files/counterpi.db')).status).toBe(404);
    expect((await owner.get('/admin/backups/files/..%2Fcounterpi.db')).status).toBe(404);
    expect(audited(t, 'owner.backup.run')).toEqual([
      { actor_kind: 'owner', outcome: 'ok', target: 'counterpi-2026-11-24.db' },
    ]);
  });
});

describe('the public address', () => {
  const token = 'eyJhIjoiMTIzIiwidCI6ImFiYyIsInMiOiJ4eXoifQ'.repeat(3);

  it('saves a pasted tunnel token and address where systemd reads them, private to counterpi', async () => {
    const saved = await owner.post('/admin/connect/public-address', {
      csrf: await csrf(),
      public_url: 'https://order.burgers.example.com/',
      tunnel_token: token,
    });
    expect(saved.status).toBe(303);
    const tunnel = join(t.dataDir, 'tunnel.env');
    const address = join(t.dataDir, 'public-url.env');
    expect(readFileSync(tunnel, 'utf8')).toBe(`TUNNEL_TOKEN=${token}\n`);
    expect(readFileSync(address, 'utf8')).toBe('PUBLIC_URL=https://order.burgers.example.com\n');
    expect(statSync(tunnel).mode & 0o777).toBe(0o600);
    expect(statSync(address).mode & 0o777).toBe(0o600);
    const page = await owner.get('/admin/connect');
    expect(page.text).toContain('Restart counterpi and the tunnel');
    expect(audited(t, 'owner.public-address.save').length).toBe(1);
  });

  it('refuses a token that is not one, and an address that is not https without a path', async () => {
    const before = readFileSync(join(t.dataDir, 'public-url.env'), 'utf8');
    await owner.post('/admin/connect/public-address', {
      csrf: await csrf(),
      public_url: 'http://order.example.com/menu',
      tunnel_token: 'paste here',
    });
    const page = await owner.get('/admin/connect');
    expect(page.text).toContain('not a Cloudflare tunnel token');
    expect(page.text).toContain('https:// address of the tunnel');
    expect(readFileSync(join(t.dataDir, 'public-url.env'), 'utf8')).toBe(before);
  });
});
