import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOWLS_CSV, uploadMenu } from './helpers/admin-pages.js';
import { type OwnerBrowser, onboard, ownerBrowser, paidOrder, placedOrder } from './helpers/owner-browser.js';
import { CHROMIUM, HAS_CHROMIUM, PHONE, phoneShot } from './helpers/real-browser.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';
import { elementsNamed, parseXml, textOf, type XmlElement } from './helpers/xml-tree.js';

/** An item name as an owner might type it, or an attacker who got hold of the menu file. */
const HOSTILE = 'Poke <script>alert(1)</script> & "Bowl"';
const HOSTILE_CSV = BOWLS_CSV.replace('Poke Bowl', `"${HOSTILE.replaceAll('"', '""')}"`);

let t: TestApp;
let owner: OwnerBrowser;
beforeAll(async () => {
  // Tuesday 2026-11-24, 12:00 in New York, the demo shop's zone.
  t = await startTestApp();
  owner = await onboard(t);
  await paidOrder(t, 'ada');
  const menu = await owner.get('/admin/menu');
  const imported = await uploadMenu(t, owner, { name: 'bowls.csv', text: HOSTILE_CSV }, menu.csrf);
  expect(imported.status).toBe(303);
  const bowls = (quantity: number) => ({ item_id: 'poke-bowl', quantity, option_ids: ['bowl-regular'] });
  await paidOrder(t, 'bob', bowls(2));
  t.clock.advance(2 * 3_600_000);
  await paidOrder(t, 'cy', bowls(1));
  // Placed but never confirmed: not a sale.
  await placedOrder(t, 'dee', bowls(5));
});
afterAll(async () => {
  await t?.stop();
});

/** The page's charts, each parsed strictly as XML, by their SVG title. */
function chartsOf(html: string): Map<string, XmlElement> {
  const charts = new Map<string, XmlElement>();
  for (const [source] of html.matchAll(/<figure class="chart">[\s\S]*?<\/figure>/g)) {
    const figure = parseXml(source);
    charts.set(textOf(elementsNamed(figure, 'title')[0] ?? figure), figure);
  }
  return charts;
}

const heights = (chart: XmlElement | undefined) =>
  elementsNamed(chart ?? parseXml('<x/>'), 'rect').map((r) => Number(r.attributes.height));
/** A chart's table: [row head, value] per bar. */
const table = (chart: XmlElement | undefined) =>
  elementsNamed(chart ?? parseXml('<x/>'), 'tr')
    .slice(1)
    .map((row) => row.children.map((cell) => (typeof cell === 'string' ? cell : textOf(cell))));

describe('the sales page', () => {
  it('refuses a visitor without the owner’s session', async () => {
    const stranger = ownerBrowser(t.url);
    const page = await stranger.get('/admin/sales');
    expect(page.status).toBe(303);
    expect(page.location).toBe('/admin/login');
    expect(page.text).not.toContain('Orders per hour');
  });

  it('draws today’s paid orders per local hour and the top items, with the hostile name as text', async () => {
    const page = await owner.get('/admin/sales');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<a href="/admin/sales" aria-current="page">Sales</a>');
    expect(page.text).toContain('href="/admin/guide/owner#sales"');
    expect(page.text).toContain('3 paid orders');
    expect(page.text).not.toContain('<script>alert');
    const charts = chartsOf(page.text);
    expect(page.text).toContain('Busiest: 12:00 with 2 orders.');
    expect([...charts.keys()]).toEqual(['Orders per hour', 'Top items by quantity', 'Top items by amount']);
    const hours = heights(charts.get('Orders per hour'));
    expect(hours).toHaveLength(24);
    // Two orders at noon (the tallest column), one at 14:00, none at any other hour.
    expect(hours.map((h, hour) => (h > 0 ? hour : -1)).filter((hour) => hour >= 0)).toEqual([12, 14]);
    expect(hours[12]).toBe(120);
    expect(hours[14]).toBe(60);
    expect(table(charts.get('Top items by quantity'))).toEqual([
      [HOSTILE, '3'],
      ['Cheeseburger', '1'],
    ]);
    const amounts = table(charts.get('Top items by amount'));
    expect(amounts.map(([name]) => name)).toEqual([HOSTILE, 'Cheeseburger']);
    expect(amounts[0]?.[1]).toBe('$40.50');
  });

  it('sums a week per day and goes back a day to one without sales', async () => {
    const week = await owner.get('/admin/sales?period=week&date=2026-11-26');
    expect(week.status).toBe(200);
    const charts = chartsOf(week.text);
    expect(table(charts.get('Orders per day')).map(([, orders]) => orders)).toEqual([
      '0',
      '3',
      '0',
      '0',
      '0',
      '0',
      '0',
    ]);
    expect(heights(charts.get('Orders per hour of the day'))).toHaveLength(24);
    expect(week.text).toContain('href="/admin/sales?period=week&amp;date=2026-11-19"');
    // The week after this one has not happened: no link to it.
    expect(week.text).not.toContain('date=2026-12-03');

    const before = await owner.get('/admin/sales?period=day&date=2026-11-23');
    expect(before.text).toContain('0 paid orders');
    expect(before.text).toContain('No items sold in this period.');
    expect(heights(chartsOf(before.text).get('Orders per hour'))).toEqual(new Array(24).fill(0));
    // A date that cannot be read shows today's.
    expect((await owner.get('/admin/sales?date=2026-02-31')).text).toContain('3 paid orders');
  });
});

describe.skipIf(!HAS_CHROMIUM)(`the sales page on a phone (skipped when ${CHROMIUM} is missing)`, () => {
  let browser: Browser;
  afterAll(async () => {
    await browser?.close();
  });

  it('fits a 390 px wide screen: no chart makes the page scroll sideways', async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: PHONE, isMobile: true });
    await context.addCookies([...owner.jar].map(([name, value]) => ({ name, value, url: t.url })));
    const page = await context.newPage();
    for (const query of ['', '?period=week']) {
      await page.goto(`${t.url}/admin/sales${query}`);
      expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(3);
      const measured = await phoneShot(
        page,
        process.env.SHOTS_DIR ?? t.dataDir,
        `sales${query === '' ? '-day' : '-week'}`,
      );
      expect(measured.scrollWidth, query).toBeLessThanOrEqual(measured.clientWidth);
      expect(measured.shotWidth, query).toBe(PHONE.width);
      // The stylesheet reached the charts: the bars are the admin pages' green, not SVG's default black.
      expect(await page.evaluate('getComputedStyle(document.querySelector("svg.chart .bar")).fill')).toBe(
        'rgb(17, 170, 85)',
      );
    }
  });
});
