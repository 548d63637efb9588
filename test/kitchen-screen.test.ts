import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addScreenStation,
  followEvents,
  paidOrderOf,
  pairingCode,
  tabletBrowser,
} from './helpers/kitchen-screen.js';
import { audited, onboard, orderState, ownerBrowser } from './helpers/owner-browser.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const t of apps.splice(0)) await t.stop();
});

async function shop() {
  const t = await startTestApp();
  apps.push(t);
  const owner = await onboard(t);
  return { t, owner };
}

/** A shop with two screen-only stations: Grill (burgers, and the default) and Drinks, and a paired tablet. */
async function shopWithScreen() {
  const { t, owner } = await shop();
  const grill = await addScreenStation(owner, 'Grill', { categories: ['burgers'], default: true });
  const drinks = await addScreenStation(owner, 'Drinks', { categories: ['drinks'] });
  const tablet = tabletBrowser(t.url);
  const paired = await tablet.pair(await pairingCode(owner));
  expect(paired.location).toBe('/kitchen');
  const csrf = await tablet.csrf();
  expect(csrf).not.toBe('');
  return { t, owner, grill, drinks, tablet, csrf, paired };
}

describe('kitchen screen: the board', () => {
  it('shows each station only its own lines of a paid order, screen-only stations included, and All shows everything', async () => {
    const { t, tablet, grill, drinks } = await shopWithScreen();
    const order = await paidOrderOf(t.url, [
      { item_id: 'cheeseburger', note: 'no pickles' },
      { item_id: 'cola' },
    ]);
    const atGrill = await tablet.board(grill);
    expect(atGrill.status).toBe(200);
    expect(atGrill.body.stations.map((s) => s.name)).toEqual(['Grill', 'Drinks']);
    expect(atGrill.body.cards).toHaveLength(1);
    expect(atGrill.body.cards[0]).toMatchObject({
      code: order.code,
      channel: 'mcp',
      key: `${order.id}:${grill}`,
    });
    expect(atGrill.body.cards[0]?.lines.map((l) => [l.name, l.note])).toEqual([
      ['Cheeseburger', 'no pickles'],
    ]);
    const atDrinks = await tablet.board(drinks);
    expect(atDrinks.body.cards[0]?.lines.map((l) => l.name)).toEqual(['Cola']);
    const all = await tablet.board('all');
    expect(all.body.cards).toHaveLength(1);
    expect(all.body.cards[0]?.lines.map((l) => l.station)).toEqual(['Grill', 'Drinks']);
  });

  it('lists cards oldest first and uses the timers the owner sets on the Stations page', async () => {
    const { t, owner, tablet, grill } = await shopWithScreen();
    const first = await paidOrderOf(t.url, [{ item_id: 'cheeseburger' }]);
    t.clock.advance(60_000);
    const second = await paidOrderOf(t.url, [{ item_id: 'cheeseburger' }], 'bob');
    expect((await tablet.board(grill)).body.cards.map((c) => c.code)).toEqual([first.code, second.code]);
    const page = await owner.get('/admin/stations');
    const saved = await owner.post('/admin/stations/screen/timers', {
      csrf: page.csrf ?? '',
      amber: '3',
      red: '7',
    });
    expect(saved.status).toBe(303);
    expect((await tablet.board(grill)).body.timers).toEqual({ amberMinutes: 3, redMinutes: 7 });
    const refused = await owner.post('/admin/stations/screen/timers', {
      csrf: page.csrf ?? '',
      amber: '9',
      red: '4',
    });
    expect(refused.status).toBe(303);
    expect((await tablet.board(grill)).body.timers).toEqual({ amberMinutes: 3, redMinutes: 7 });
  });

  it('a bump retried with its key happens once; the last station bumped makes the order ready as the bump button does', async () => {
    const { t, tablet, csrf, grill, drinks } = await shopWithScreen();
    const order = await paidOrderOf(t.url, [{ item_id: 'cheeseburger' }, { item_id: 'cola' }]);
    const headers = { 'x-csrf-token': csrf };
    const key = randomUUID();
    const bump = { key, order_id: order.id, station: grill };
    const once = await tablet.json('/kitchen/bump', bump, headers);
    expect(once).toMatchObject({ status: 200, body: { ready: false, code: order.code } });
    const again = await tablet.json('/kitchen/bump', bump, headers);
    expect(again).toEqual(once);
    // The same key for another request is a conflict, not a second effect.
    const other = await tablet.json('/kitchen/bump', { ...bump, station: drinks }, headers);
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ error: { code: 'idempotency_conflict' } });
    expect((await tablet.board(grill)).body.cards).toEqual([]);
    expect((await tablet.board(drinks)).body.cards).toHaveLength(1);
    expect(orderState(t, order.id)).not.toBe('ready');

    // Recall undoes the Grill's bump; bumping again and then the Drinks makes the order ready.
    const recalled = await tablet.json('/kitchen/recall', { key: randomUUID(), station: grill }, headers);
    expect(recalled).toMatchObject({ status: 200, body: { code: order.code } });
    expect((await tablet.board(grill)).body.cards.map((c) => c.code)).toEqual([order.code]);
    await tablet.json('/kitchen/bump', { key: randomUUID(), order_id: order.id, station: grill }, headers);
    const last = await tablet.json(
      '/kitchen/bump',
      { key: randomUUID(), order_id: order.id, station: drinks },
      headers,
    );
    expect(last.body).toMatchObject({ ready: true });
    expect(orderState(t, order.id)).toBe('ready');
    expect(audited(t, 'order.mark_ready').map((r) => r.outcome)).toEqual(['ok']);
    expect((await tablet.board('all')).body.cards).toEqual([]);

    // Ready has been announced and the lifecycle has no way back from it: the recall is refused.
    const late = await tablet.json('/kitchen/recall', { key: randomUUID(), station: drinks }, headers);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error: { code: 'invalid_transition' } });
    expect(orderState(t, order.id)).toBe('ready');
    const page = await ownerBrowser(t.url).get(`/o/${order.id}`);
    expect(page.text).toMatch(/ready/i);
  });

  it('a shop without stations has one card per order, and its bump makes the order ready', async () => {
    const { t, owner } = await shop();
    const tablet = tabletBrowser(t.url);
    await tablet.pair(await pairingCode(owner));
    const order = await paidOrderOf(t.url, [{ item_id: 'cheeseburger' }, { item_id: 'cola' }]);
    const board = await tablet.board('all');
    expect(board.body.stations).toEqual([{ id: 0, name: 'Kitchen' }]);
    expect(board.body.cards[0]?.lines.map((l) => l.name)).toEqual(['Cheeseburger', 'Cola']);
    const done = await tablet.json(
      '/kitchen/bump',
      { key: randomUUID(), order_id: order.id, station: 'all' },
      { 'x-csrf-token': await tablet.csrf() },
    );
    expect(done.body).toMatchObject({ ready: true });
    expect(orderState(t, order.id)).toBe('ready');
  });
});

describe('kitchen screen: orders leaving another way', () => {
  it('an order marked ready on the dashboard leaves every station, and a recall cannot bring it back', async () => {
    const { t, owner, tablet, csrf, grill, drinks } = await shopWithScreen();
    const order = await paidOrderOf(t.url, [{ item_id: 'cheeseburger' }, { item_id: 'cola' }]);
    const headers = { 'x-csrf-token': csrf };
    await tablet.json('/kitchen/bump', { key: randomUUID(), order_id: order.id, station: grill }, headers);
    expect((await tablet.board(drinks)).body.cards).toHaveLength(1);
    const page = await owner.get('/admin');
    const marked = await owner.post(`/admin/orders/${order.id}/ready`, { csrf: page.csrf ?? '' });
    expect(marked.status).toBe(303);
    expect(orderState(t, order.id)).toBe('ready');
    expect((await tablet.board(drinks)).body.cards).toEqual([]);
    expect((await tablet.board('all')).body.cards).toEqual([]);
    const recall = await tablet.json('/kitchen/recall', { key: randomUUID(), station: grill }, headers);
    expect(recall.status).toBe(409);
    expect((await tablet.board(grill)).body.cards).toEqual([]);
  });
});

describe('kitchen screen: the live stream', () => {
  it('sends the board with its version as the event id, and after a reconnect only what changed since', async () => {
    const { t, owner, tablet, grill } = await shopWithScreen();
    const cookie = tablet.cookie();
    const url = `${t.url}/kitchen/events?station=${grill}`;
    const first = followEvents(url, cookie);
    const empty = await first.until((e) => e.event === 'board');
    expect(JSON.parse(empty.data)).toMatchObject({ cards: [] });
    const order = await paidOrderOf(t.url, [{ item_id: 'cheeseburger' }]);
    const live = await first.until((e) => e.event === 'board' && e.data.includes(order.code));
    expect(live.id).toBe((await tablet.board(grill)).body.version);
    first.close();

    // Back with the last id it saw: nothing is sent again until the board changes.
    const again = followEvents(url, cookie, live.id);
    await again.until((e) => e.event === 'hello');
    const page = await owner.get('/admin/stations');
    await owner.post('/admin/stations/screen/timers', { csrf: page.csrf ?? '', amber: '4', red: '8' });
    const next = await again.until((e) => e.event === 'board');
    expect(next.id).not.toBe(live.id);
    expect(again.events.filter((e) => e.event === 'board').map((e) => e.id)).toEqual([next.id]);
    expect(JSON.parse(next.data).cards.map((c: { code: string }) => c.code)).toEqual([order.code]);
    again.close();

    // Back with an id from before the order: the current board at once.
    const stale = followEvents(url, cookie, empty.id);
    const caughtUp = await stale.until((e) => e.event === 'board');
    expect(JSON.parse(caughtUp.data).cards.map((c: { code: string }) => c.code)).toEqual([order.code]);
    stale.close();
  });
});

describe('kitchen screen: pairing and its attacks', () => {
  it('a used or expired code is refused, and wrong codes are rate-limited', async () => {
    const { t, owner } = await shop();
    const code = await pairingCode(owner);
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const first = tabletBrowser(t.url);
    expect((await first.pair(code.toLowerCase())).status).toBe(303);
    const second = tabletBrowser(t.url);
    const reused = await second.pair(code);
    expect(reused.status).toBe(400);
    expect(reused.setCookies.join()).not.toMatch(/cp_kitchen/);

    const stale = await pairingCode(owner);
    t.clock.advance(11 * 60_000);
    expect((await second.pair(stale)).status).toBe(400);
    expect((await second.get('/kitchen/board')).status).toBe(401);

    const guesser = tabletBrowser(t.url);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await guesser.pair('AAAA-AAAA')).status);
    // Same address as the two refused above: the fifth wrong code in 15 minutes locks it.
    expect(statuses).toEqual([400, 400, 400, 429, 429]);
    // Locked: even a good code waits.
    expect((await guesser.pair(await pairingCode(owner))).status).toBe(429);
  });

  it('the device cookie opens the screen only: no owner page, and a revoked tablet gets nothing', async () => {
    const { t, owner, tablet, csrf, grill, paired } = await shopWithScreen();
    const cookie = paired.setCookies.find((c) => c.startsWith('cp_kitchen='));
    expect(cookie).toMatch(/cp_kitchen=[^;]+; Max-Age=\d+; Path=\/kitchen; HttpOnly; SameSite=Strict/);
    for (const path of ['/admin', '/admin/stations', '/admin/orders/new']) {
      const answer = await tablet.get(path);
      expect(answer.status).toBe(303);
      expect(answer.location).toBe('/admin/login');
    }
    const order = await paidOrderOf(t.url, [{ item_id: 'cheeseburger' }]);
    expect((await tablet.board(grill)).body.cards).toHaveLength(1);

    const stream = followEvents(`${t.url}/kitchen/events?station=${grill}`, tablet.cookie());
    await stream.until((e) => e.event === 'board');
    const page = await owner.get('/admin/stations');
    const id = /kitchen-device-(\d+)/.exec(page.text)?.[1];
    expect(page.text).toContain('Grill tablet');
    const revoked = await owner.post(`/admin/stations/screen/devices/${id}/revoke`, {
      csrf: page.csrf ?? '',
    });
    expect(revoked.status).toBe(303);
    // The open stream ends with word of it.
    await stream.until((e) => e.event === 'revoked');
    await stream.ended;
    expect((await tablet.board(grill)).status).toBe(401);
    expect((await tablet.get('/kitchen/events?station=all')).status).toBe(401);
    const bump = await tablet.json(
      '/kitchen/bump',
      { key: randomUUID(), order_id: order.id, station: grill },
      { 'x-csrf-token': csrf },
    );
    expect(bump.status).toBe(401);
    expect((await tablet.get('/kitchen')).text).toContain('Pairing code');
    expect(orderState(t, order.id)).not.toBe('ready');
  });

  it("refuses the screen's POSTs without its CSRF token or from another origin", async () => {
    const { t, tablet, csrf, grill } = await shopWithScreen();
    const order = await paidOrderOf(t.url, [{ item_id: 'cheeseburger' }]);
    const bump = () => ({ key: randomUUID(), order_id: order.id, station: grill });
    expect((await tablet.json('/kitchen/bump', bump())).status).toBe(403);
    expect((await tablet.json('/kitchen/bump', bump(), { 'x-csrf-token': 'forged' })).status).toBe(403);
    const crossSite = { 'x-csrf-token': csrf, origin: 'https://evil.example' };
    expect((await tablet.json('/kitchen/bump', bump(), crossSite)).status).toBe(403);
    expect(
      (await tablet.json('/kitchen/recall', { key: randomUUID(), station: grill }, crossSite)).status,
    ).toBe(403);
    expect((await tablet.board(grill)).body.cards).toHaveLength(1);
    // A pairing form posted from another site is refused too.
    const other = tabletBrowser(t.url);
    const forged = await other.post(
      '/kitchen/pair',
      { code: 'AAAA-AAAA' },
      { origin: 'https://evil.example' },
    );
    expect(forged.status).toBe(403);
    const fetched = await other.post(
      '/kitchen/pair',
      { code: 'AAAA-AAAA' },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(fetched.status).toBe(403);
  });

  it("opens the screen in the owner's own browser from the Stations page, as a device the owner can remove", async () => {
    const { t, owner } = await shop();
    expect((await owner.get('/kitchen')).text).toContain('Pairing code');
    const page = await owner.get('/admin/stations');
    const opened = await owner.post('/admin/stations/screen/open', { csrf: page.csrf ?? '' });
    expect(opened.location).toBe('/kitchen');
    expect((await owner.get('/kitchen')).text).toContain('id="cards"');
    expect((await owner.get('/admin/stations')).text).toContain('Owner&#39;s browser');
    // Without the owner's session, no device is made.
    const stranger = ownerBrowser(t.url);
    expect((await stranger.post('/admin/stations/screen/open', { csrf: 'x' })).status).toBe(401);
  });
});
