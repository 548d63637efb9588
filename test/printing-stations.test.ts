import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { type Counterpi, databaseFile, startCounterpi } from '../src/main.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { printedLines, tokenize, unknownTokens } from './escpos.js';
import { capturePrinter, until } from './fixtures/capture-printer.js';
import { type OwnerBrowser, onboard, paidOrder } from './helpers/owner-browser.js';
import { PUBLIC_URL, TEST_CUSTOMER_HEADER, TEST_PASSWORD_COST } from './helpers/start-app.js';

const running: { app: Counterpi; dataDir: string }[] = [];
const printers: ReturnType<typeof capturePrinter>[] = [];
afterEach(async () => {
  for (const { app, dataDir } of running.splice(0)) {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  for (const printer of printers.splice(0)) await printer.close();
});

// Noon on a Tuesday in New York, running on with real time: printer retries are real waits.
const SHIFT_MS = Date.parse('2026-11-24T17:00:00Z') - Date.now();

async function printerAt() {
  const printer = capturePrinter();
  printers.push(printer);
  await printer.listen(0);
  return printer;
}

const portOf = (printer: ReturnType<typeof capturePrinter>) =>
  new URL(printer.url.replace('tcp:', 'http:')).port;

/** The real app; the owner onboards it with `expo` as the main printer and sets up three stations on their page. */
async function shopWithStations() {
  const expo = await printerAt();
  const [grill, fryer, drinks] = [await printerAt(), await printerAt(), await printerAt()];
  const dataDir = mkdtempSync(join(tmpdir(), 'counterpi-stations-'));
  const app = await startCounterpi(
    loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', PUBLIC_URL }),
    {
      log: createSilentLogger(),
      clock: { now: () => new Date(Date.now() + SHIFT_MS) },
      passwordCost: TEST_PASSWORD_COST,
      resolveCustomer: (header) => ({
        subject: header(TEST_CUSTOMER_HEADER) ?? 'customer-1',
        scopes: ['menu:read', 'order:write'],
      }),
      printing: { pollMs: 20, sendTimeoutMs: 300, backoff: { baseMs: 50, maxMs: 200 } },
    },
  );
  running.push({ app, dataDir });
  const owner = await onboard(app, { printer: { kind: 'tcp', host: '127.0.0.1', port: portOf(expo) } });
  await addStation(owner, 'Grill', portOf(grill), { categories: ['burgers'], default: true });
  await addStation(owner, 'Fryer', portOf(fryer), { categories: ['sides'] });
  // coleslaw is a side, but made at the cold drinks counter: the item's route wins over its category's.
  await addStation(owner, 'Drinks', portOf(drinks), { categories: ['drinks'], items: ['coleslaw'] });
  return { app, dataDir, owner, expo, grill, fryer, drinks };
}

/** The owner adds a station on the stations page, with its network printer and its routes. */
async function addStation(
  owner: OwnerBrowser,
  name: string,
  port: string,
  routes: { categories?: string[]; items?: string[]; default?: boolean },
) {
  const page = await owner.get('/admin/stations');
  const body = new URLSearchParams({ csrf: page.csrf ?? '', name, kind: 'tcp', host: '127.0.0.1', port });
  for (const c of routes.categories ?? []) body.append('categories', c);
  for (const i of routes.items ?? []) body.append('items', i);
  if (routes.default === true) body.append('default', 'on');
  const saved = await owner.post('/admin/stations', body);
  expect(saved.status).toBe(303);
}

/** An assistant orders a burger, a side, a drink, the coleslaw and a brownie; the customer approves. */
function orderAndApprove(app: Counterpi): Promise<{ id: string; code: string }> {
  const item = (item_id: string, note?: string) => ({ item_id, quantity: 1, ...(note ? { note } : {}) });
  const lines = [
    item('cheeseburger', 'well done'),
    item('fries'),
    item('cola', 'no ice please'),
    item('coleslaw'),
    item('brownie'),
  ];
  return paidOrder(app, 'ada', lines, 'Ada Lovelace');
}

/** The printed lines of the printer's `n`th document, trimmed, after checking it holds no unknown command. */
function ticket(printer: ReturnType<typeof capturePrinter>, n = 0): string[] {
  const tokens = tokenize(printer.received[n]?.bytes ?? Buffer.alloc(0));
  expect(unknownTokens(tokens)).toEqual([]);
  return printedLines(tokens).map((l) => l.text.trim());
}

function jobs(dataDir: string): { station_name: string | null; state: string; reprint: number }[] {
  const db = new Database(databaseFile(dataDir), { readonly: true });
  try {
    return db.prepare('SELECT station_name, state, reprint FROM print_jobs ORDER BY id').all() as {
      station_name: string | null;
      state: string;
      reprint: number;
    }[];
  } finally {
    db.close();
  }
}

const items = (lines: string[]) => lines.filter((l) => /^\d+ x /.test(l));

describe('kitchen stations', () => {
  it('prints one ticket per station with only its lines, and the expo ticket with everything', async () => {
    const shop = await shopWithStations();
    const stationsPage = await shop.owner.get('/admin/stations');
    expect(stationsPage.text).toContain('href="/admin/stations"');
    expect(stationsPage.text).toContain('(now Drinks)');
    const db = new Database(databaseFile(shop.dataDir), { readonly: true });
    const added = db
      .prepare("SELECT actor_kind FROM audit_log WHERE action = 'owner.station.add'")
      .pluck()
      .all();
    db.close();
    expect(added).toEqual(['owner', 'owner', 'owner']);

    const { code } = await orderAndApprove(shop.app);
    await until(() => [shop.expo, shop.grill, shop.fryer, shop.drinks].every((p) => p.received.length === 1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([shop.expo, shop.grill, shop.fryer, shop.drinks].map((p) => p.received.length)).toEqual([
      1, 1, 1, 1,
    ]);

    const grill = ticket(shop.grill);
    expect(grill.slice(0, 3)).toEqual(['GRILL', 'Station 1 of 3', code]);
    expect(grill.some((l) => l.startsWith('Pickup '))).toBe(true);
    // The brownie's dessert category has no route: it goes to the default station, the grill.
    expect(items(grill)).toEqual(['1 x Cheeseburger', '1 x Fudge Brownie']);
    expect(grill).toContain('NOTE: well done');
    const fryer = ticket(shop.fryer);
    expect(fryer.slice(0, 3)).toEqual(['FRYER', 'Station 2 of 3', code]);
    expect(items(fryer)).toEqual(['1 x Fries']);
    expect(fryer.join('\n')).not.toContain('well done');
    const drinks = ticket(shop.drinks);
    expect(drinks.slice(0, 3)).toEqual(['DRINKS', 'Station 3 of 3', code]);
    expect(items(drinks)).toEqual(['1 x Cola', '1 x Coleslaw']);
    expect(drinks).toContain('NOTE: no ice please');

    const expo = ticket(shop.expo);
    expect(expo).toContain('EXPO - all items, 3 station ticket(s)');
    expect(items(expo)).toEqual([
      '1 x Cheeseburger',
      '1 x Fries',
      '1 x Cola',
      '1 x Coleslaw',
      '1 x Fudge Brownie',
    ]);
    expect(expo.find((l) => l.startsWith('PAID'))).toBeDefined();
    expect([...grill, ...fryer, ...drinks, ...expo].join('\n')).not.toContain('REPRINT');
    await until(() => jobs(shop.dataDir).every((j) => j.state === 'printed'));

    // The owner renames one station, moves the fries to it, and removes the fryer.
    const page = await shop.owner.get('/admin/stations');
    const idOf = (name: string) => new RegExp(`id="station-(\\d+)"><h2>${name}</h2>`).exec(page.text)?.[1];
    const edit = new URLSearchParams({
      csrf: page.csrf ?? '',
      name: 'Bar',
      kind: 'none',
      categories: 'drinks',
    });
    edit.append('items', 'fries');
    expect((await shop.owner.post(`/admin/stations/${idOf('Drinks')}`, edit)).status).toBe(303);
    const removed = await shop.owner.post(`/admin/stations/${idOf('Fryer')}/remove`, {
      csrf: page.csrf ?? '',
    });
    expect(removed.status).toBe(303);
    const after = await shop.owner.get('/admin/stations');
    expect(after.text).toContain('<h2>Bar</h2>');
    expect(after.text).not.toContain('<h2>Fryer</h2>');
    expect(after.text).not.toContain('<h2>Drinks</h2>');
    const audit = new Database(databaseFile(shop.dataDir), { readonly: true });
    const actions = audit
      .prepare("SELECT action FROM audit_log WHERE action LIKE 'owner.station.%' ORDER BY seq")
      .pluck()
      .all();
    audit.close();
    expect(actions.slice(3)).toEqual(['owner.station.change', 'owner.station.remove']);
  });

  it('holds only the grill tickets while its printer is off, then prints exactly one there', async () => {
    const shop = await shopWithStations();
    const grillPort = Number(portOf(shop.grill));
    await shop.grill.close();

    const started = Date.now();
    const { code } = await orderAndApprove(shop.app);
    await until(() => [shop.expo, shop.fryer, shop.drinks].every((p) => p.received.length === 1));
    // Not held up behind the grill's retries (a generous bound: the others print at once).
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(jobs(shop.dataDir).find((j) => j.station_name === 'Grill')?.state).toBe('pending');

    const dashboard = await shop.owner.get('/admin');
    expect(dashboard.text).toContain('Grill printer is offline: connection refused');
    expect(dashboard.text).toContain('The other stations print as usual.');

    shop.grill.setMode('print');
    await shop.grill.listen(grillPort);
    await until(() => jobs(shop.dataDir).every((j) => j.state === 'printed'), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(shop.grill.received).toHaveLength(1);
    const grill = ticket(shop.grill);
    // Refused connections never reached the printer: the one ticket is not a reprint.
    expect(grill.slice(0, 3)).toEqual(['GRILL', 'Station 1 of 3', code]);
    expect([shop.expo, shop.fryer, shop.drinks].map((p) => p.received.length)).toEqual([1, 1, 1]);
    const after = await shop.owner.get('/admin');
    expect(after.text).not.toContain('Grill printer is offline');
  });
});
