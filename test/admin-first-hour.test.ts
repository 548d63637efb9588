import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOWLS_CSV, BROKEN_BOWLS_CSV, uploadMenu } from './helpers/admin-pages.js';
import { assistant } from './helpers/mcp-caller.js';
import { db, type OwnerBrowser, onboard, ownerBrowser, PASSWORD, shopForm } from './helpers/owner-browser.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

/** Items on the menu now, as stored. */
function itemCount(t: TestApp): number {
  const conn = db(t);
  try {
    return conn.prepare('SELECT count(*) FROM items').pluck().get() as number;
  } finally {
    conn.close();
  }
}

/** An instant written for machines, which no owner page shows. */
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

describe('a fresh counterpi', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers / with a page saying what the shop is, how to order through an assistant, and where the owner goes', async () => {
    const home = await ownerBrowser(t.url).get('/');
    expect(home.status).toBe(200);
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    expect(home.text).toContain('<h1>Bun &#38; Done Burger Bar</h1>');
    expect(home.text).toContain(`value="${PUBLIC_URL}/mcp"`);
    const qr = /src="data:image\/svg\+xml;base64,([^"]+)"/.exec(home.text)?.[1] ?? '';
    expect(Buffer.from(qr, 'base64').toString()).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(home.text).toContain('href="/admin"');
  });

  it('serves an icon: an ICO holding a 32 px PNG, and the SVG the owner pages name', async () => {
    const ico = await fetch(`${t.url}/favicon.ico`);
    expect(ico.status).toBe(200);
    expect(ico.headers.get('content-type')).toBe('image/x-icon');
    const bytes = Buffer.from(await ico.arrayBuffer());
    // ICONDIR (reserved 0, type 1 = icon, one image), then the PNG at the offset its entry names.
    expect([bytes.readUInt16LE(0), bytes.readUInt16LE(2), bytes.readUInt16LE(4)]).toEqual([0, 1, 1]);
    const png = bytes.subarray(bytes.readUInt32LE(18));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([32, 32]);
    const svg = await fetch(`${t.url}/favicon.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg /);
    const login = await ownerBrowser(t.url).get('/admin/onboarding');
    expect(login.text).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>');
  });

  it('opens onboarding with empty fields, guesses from the browser, and fills the demo shop only when asked', async () => {
    const owner = ownerBrowser(t.url);
    const page = await owner.get('/admin/onboarding', { 'accept-language': 'de-CH,de;q=0.9,en;q=0.5' });
    expect(page.status).toBe(200);
    for (const field of ['name', 'address', 'phone', 'tax_percent', 'timezone']) {
      expect(page.text, field).toMatch(new RegExp(`name="${field}"[^>]*value=""`));
    }
    expect(page.text).not.toContain('Bun &amp; Done');
    expect(page.text).not.toContain('<nav');
    // Language and currency are chosen from lists; the browser's language is the first guess.
    expect(page.text).toMatch(/<select id="locale" name="locale"[^>]*>/);
    expect(page.text).toContain('<option value="de-CH" selected="">');
    expect(page.text).toContain('<option value="CHF" selected="">');
    // The time zone: a text box with every zone as suggestions, filled by the page's script.
    expect(page.text).toMatch(/<input id="timezone" name="timezone" value="" list="timezones"/);
    expect(page.text).toContain('<option value="Europe/Zurich">');
    expect(page.text).toContain('src="/admin/assets/enhance.js"');
    const script = await (await fetch(`${t.url}/admin/assets/enhance.js`)).text();
    expect(script).toContain('Intl.DateTimeFormat().resolvedOptions().timeZone');

    const demo = await owner.get('/admin/onboarding?step=shop&demo=1');
    expect(demo.text).toContain('value="Bun &amp; Done Burger Bar"');
    expect(demo.text).toContain('value="America/New_York"');

    const unzoned = await owner.post(
      '/admin/onboarding',
      shopForm(page.csrf ?? '', { password: PASSWORD, password_again: PASSWORD, timezone: 'Mars/Olympus' }),
    );
    expect(unzoned.status).toBe(400);
    expect(unzoned.text).toContain('Choose the time zone the shop is in');
  });

  it('starts the menu empty, from the demo, or from a file, and refuses a broken file naming every problem', async () => {
    const owner = ownerBrowser(t.url);
    const page = await owner.get('/admin/onboarding');
    const saved = await owner.post(
      '/admin/onboarding',
      shopForm(page.csrf ?? '', { password: PASSWORD, password_again: PASSWORD }),
    );
    expect(saved.location).toBe('/admin/onboarding/menu');
    const step = await owner.get('/admin/onboarding/menu');
    expect(step.text).toContain('Step 2 of 4');
    expect(step.text).toContain('enctype="multipart/form-data"');
    const csrf = step.csrf ?? '';

    expect((await owner.post('/admin/onboarding/menu', { csrf, start: 'empty' })).location).toBe(
      '/admin/onboarding/printer',
    );
    expect(itemCount(t)).toBe(0);
    // An empty menu is a menu: assistants find nothing in it, without an error.
    const customer = await assistant(t, 'early');
    try {
      const found = await customer.call('search_menu', { query: 'burger' });
      expect(found.isError).toBeFalsy();
      expect(found.structuredContent?.items).toEqual([]);
    } finally {
      await customer.close();
    }
    const menuStep = { path: '/admin/onboarding/menu', fields: { start: 'file' } };
    const refused = await uploadMenu(t, owner, { name: 'bowls.csv', text: BROKEN_BOWLS_CSV }, csrf, menuStep);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('bowls.csv was refused');
    expect(refused.text).toMatch(/<td>6<\/td><td>price<\/td>/);
    expect(itemCount(t)).toBe(0);
    const imported = await uploadMenu(t, owner, { name: 'bowls.csv', text: BOWLS_CSV }, csrf, menuStep);
    expect(imported.location).toBe('/admin/onboarding/printer');
    expect(itemCount(t)).toBe(2);
    const noFile = await owner.post('/admin/onboarding/menu', { csrf, start: 'file' });
    expect(noFile.status).toBe(400);
    expect(noFile.text).toContain('Choose the menu file to import');
    expect(itemCount(t)).toBe(2);
    await owner.post('/admin/onboarding/menu', { csrf, start: 'demo' });
    expect(itemCount(t)).toBe(34);
  });
});

describe('an onboarded shop, on this machine only', () => {
  let t: TestApp;
  let owner: OwnerBrowser;
  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'http://localhost:8080' } });
    owner = await onboard(t);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('says the same on the dashboard, Connect and the front page: no assistant can reach it', async () => {
    const dashboard = await owner.get('/admin');
    const line = /<li class="tunnel (\w+)">([\s\S]*?)<\/li>/.exec(dashboard.text);
    expect(line?.[1]).toBe('bad');
    expect(line?.[2]).toContain('Problem');
    expect(line?.[2]).toContain('no assistant can reach it');
    const connect = await owner.get('/admin/connect');
    expect(connect.text).toContain('no assistant can reach it');
    const home = await ownerBrowser(t.url).get('/');
    expect(home.text).toContain('Ordering through assistants is not set up yet');
  });

  it('words the status panel for an owner, with times in the shop’s zone and no raw timestamps', async () => {
    const dashboard = await owner.get('/admin');
    const panel = dashboard.text.slice(dashboard.text.indexOf('<section class="status card"'));
    expect(panel).not.toMatch(ISO_INSTANT);
    expect(panel).not.toContain('Order webhooks');
    expect(panel).not.toMatch(/sim · LED/);
    expect(panel).toContain('No printer chosen: tickets are saved as files on this device');
    expect(panel).toContain('None connected (optional)');
    // The catch-up backup a minute after start, as the shop's clock reads it (New York; the test clock
    // started at 17:00 UTC).
    expect(panel).toMatch(/Backups[\s\S]*next Tue, Nov 24, 12:01\sPM/);
    const settings = await owner.get('/admin/settings');
    expect(settings.text).not.toMatch(/sim · LED/);
  });

  it('pauses and resumes ordering from the dashboard, with the session’s token only', async () => {
    const dashboard = await owner.get('/admin');
    expect(dashboard.text).toContain('Pause ordering');
    const forged = await owner.post('/admin/settings/pause', { paused: 'yes', back: 'dashboard' });
    expect(forged.status).toBe(403);
    const paused = await owner.post('/admin/settings/pause', {
      csrf: dashboard.csrf ?? '',
      paused: 'yes',
      back: 'dashboard',
    });
    expect(paused.location).toBe('/admin');
    const shown = await owner.get('/admin');
    expect(shown.text).toContain('Ordering is paused: assistants tell customers');
    expect(shown.text).toContain('Resume ordering');
    const resumed = await owner.post('/admin/settings/pause', {
      csrf: dashboard.csrf ?? '',
      paused: 'no',
      back: 'dashboard',
    });
    expect(resumed.location).toBe('/admin');
    expect((await owner.get('/admin')).text).toContain('Open: taking orders');
  });

  it('labels the sold-out switch as an action, lists option groups by name, and offers to copy addresses', async () => {
    const menu = await owner.get('/admin/menu');
    const row = menu.text.slice(menu.text.indexOf('id="item-cheeseburger"'));
    const cheeseburger = row.slice(0, row.indexOf('</li>'));
    expect(cheeseburger).toContain('>available<');
    expect(cheeseburger).toContain('Mark sold out');
    const item = await owner.get('/admin/menu/items/cheeseburger');
    expect(item.text).not.toContain('(burger-extras)');
    expect(item.text).toContain('Extras: Extra cheese, Bacon, Avocado, …');
    const connect = await owner.get('/admin/connect');
    expect(connect.text).toContain('data-copy="mcp-url"');
    expect(connect.text).not.toContain('acp-key create');
  });
});
