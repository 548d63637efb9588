import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READABLE_ALPHABET } from '../src/platform/ids.js';
import { createOffersRepo } from '../src/store/offers-repo.js';
import { answerText } from './helpers/mcp-answer.js';
import { assistant } from './helpers/mcp-caller.js';
import { audited, db, type OwnerBrowser, onboard } from './helpers/owner-browser.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

let t: TestApp;
let owner: OwnerBrowser;
beforeAll(async () => {
  t = await startTestApp();
  owner = await onboard(t);
});
afterAll(async () => {
  await t?.stop();
});

async function csrf(): Promise<string> {
  return (await owner.get('/admin/offers')).csrf ?? '';
}
function count(sql: string): number {
  const conn = db(t);
  try {
    return conn.prepare(sql).pluck().get() as number;
  } finally {
    conn.close();
  }
}

describe('the offers pages', () => {
  it('refuses every offers form without the session token, and changes nothing', async () => {
    const forms: [string, Record<string, string>][] = [
      ['/admin/offers/new/promo_code', { name: 'Evil', value_kind: 'percent', value: '100', code: 'EVIL' }],
      [
        '/admin/offers/stamp-card',
        { enabled: 'on', stamps: '1', reward_kind: 'amount', reward_amount: '99' },
      ],
    ];
    for (const [path, form] of forms) {
      const answer = await owner.post(path, { ...form, csrf: 'not-the-token' });
      expect(answer.status, path).toBe(403);
    }
    expect(count('SELECT count(*) FROM offers')).toBe(0);
    expect(count('SELECT count(*) FROM stamp_card')).toBe(0);
  });

  it('keeps what the owner typed and says what is wrong, saving nothing', async () => {
    const answer = await owner.post('/admin/offers/new/meal_deal', {
      csrf: await csrf(),
      name: 'Lunch deal',
      slot_name_1: 'Burger',
      slot_1: 'item:cheeseburger',
      price_kind: 'fixed',
      price_value: '12.5O',
    });
    expect(answer.status).toBe(422);
    expect(answer.text).toContain('A meal deal needs at least two slots.');
    expect(answer.text).toContain('Write an amount in USD');
    expect(answer.text).toContain('value="12.5O"');
    expect(answer.text).toContain('value="Lunch deal"');
    expect(answer.text).toMatch(/value="item:cheeseburger" checked/);
    expect(count('SELECT count(*) FROM offers')).toBe(0);
  });

  it('makes a promo code, pauses and resumes it (audited), and the assistant follows', async () => {
    const made = await owner.post('/admin/offers/new/promo_code', {
      csrf: await csrf(),
      name: 'Welcome',
      code: 'hello10',
      value_kind: 'percent',
      value: '10',
      per_customer: '1',
    });
    expect(made.status).toBe(303);
    expect(made.location).toBe('/admin/offers/welcome#codes');
    const ada = await assistant(t, 'offers-ada');
    const order = async () =>
      ada.call('create_order', {
        idempotency_key: crypto.randomUUID(),
        lines: [{ item_id: 'cheeseburger', quantity: 1 }],
        promo_code: 'HELLO10',
      });
    const priced = await order();
    expect(priced.structuredContent).toMatchObject({ totals: { discount: { amount: 110 } } });
    await ada.call('cancel_order', {
      idempotency_key: crypto.randomUUID(),
      order_id: (priced.structuredContent as { order_id: string }).order_id,
    });

    const paused = await owner.post('/admin/offers/welcome/pause', { csrf: await csrf(), paused: 'yes' });
    expect(paused.location).toBe('/admin/offers#offer-welcome');
    const list = await owner.get('/admin/offers');
    expect(list.text).toMatch(/id="offer-welcome"[\s\S]*?paused/);
    expect(answerText(await order())).toContain('There is no code "HELLO10"');
    await owner.post('/admin/offers/welcome/pause', { csrf: await csrf(), paused: 'no' });
    expect(audited(t, 'owner.offers.create').map((r) => r.target)).toEqual(['welcome']);
    expect(audited(t, 'owner.offers.pause').map((r) => r.target)).toEqual(['welcome']);
    expect(audited(t, 'owner.offers.resume').map((r) => r.target)).toEqual(['welcome']);
    await ada.close();
  });

  it('makes a batch of single-use codes and hands them out as CSV', async () => {
    const refused = await owner.post('/admin/offers/welcome/batches', {
      csrf: await csrf(),
      count: '5000',
      prefix: 'fly',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('from 1 to 1000');
    expect(refused.text).toContain('value="5000"');
    const made = await owner.post('/admin/offers/welcome/batches', {
      csrf: await csrf(),
      count: '25',
      prefix: 'fly',
    });
    expect(made.status).toBe(303);
    const page = await owner.get('/admin/offers/welcome');
    const href = /href="(\/admin\/offers\/batches\/[^"]+\.csv)"/.exec(page.text)?.[1] ?? '';
    const csv = await owner.get(href);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="codes-welcome-/);
    const [header, ...codes] = csv.text.trim().split('\r\n');
    expect(header).toBe('code');
    expect(codes).toHaveLength(25);
    expect(new Set(codes).size).toBe(25);
    for (const code of codes) expect(code).toMatch(new RegExp(`^FLY-[${READABLE_ALPHABET}]{8}$`));
    expect(audited(t, 'owner.offers.codes.batch')).toHaveLength(1);
  });

  it('shows a happy hour as scheduled outside its hours and active inside them', async () => {
    t.clock.set('2026-11-24T21:55:00Z'); // Tuesday 16:55 in New York
    const made = await owner.post('/admin/offers/new/happy_hour', {
      csrf: await csrf(),
      name: 'Happy hour',
      percent: '25',
      days: 'tue',
      start: '17:00',
      end: '19:00',
      scope: 'cat:drinks',
    });
    expect(made.status).toBe(303);
    expect((await owner.get('/admin/offers')).text).toMatch(/id="offer-happy-hour"[\s\S]*?scheduled/);
    t.clock.set('2026-11-24T22:05:00Z');
    expect((await owner.get('/admin/offers')).text).toMatch(/id="offer-happy-hour"[\s\S]*?active now/);
  });

  it('edits an offer, keeping the hours its form does not show', async () => {
    createOffersRepo({ store: t.app.store }).insert(
      {
        kind: 'automatic',
        offer: {
          kind: 'happy_hour',
          id: 'late',
          name: 'Late drinks',
          percent: 20,
          scope: { kind: 'order' },
          windows: [
            { days: ['fri'], start: '22:00', end: '02:00' },
            { days: ['sat'], start: '22:00', end: '02:00' },
          ],
        },
      },
      0,
    );
    const form = await owner.get('/admin/offers/late');
    expect(form.text).toContain('value="22:00"');
    const saved = await owner.post('/admin/offers/late', {
      csrf: form.csrf ?? '',
      name: 'Late drinks',
      percent: '30',
      days: 'fri',
      start: '21:00',
      end: '02:00',
    });
    expect(saved.status).toBe(303);
    const conn = db(t);
    const rule = JSON.parse(
      conn.prepare("SELECT rule FROM offers WHERE id = 'late'").pluck().get() as string,
    );
    conn.close();
    expect(rule).toMatchObject({
      percent: 30,
      windows: [
        { days: ['fri'], start: '21:00', end: '02:00' },
        { days: ['sat'], start: '22:00', end: '02:00' },
      ],
    });
    expect(audited(t, 'owner.offers.update').map((r) => r.target)).toEqual(['late']);
  });

  it('turns the stamp card on, refusing a reward that is not on the menu', async () => {
    const bad = await owner.post('/admin/offers/stamp-card', {
      csrf: await csrf(),
      enabled: 'on',
      minimum: '10.00',
      stamps: '8',
      reward_kind: 'item',
      reward_item: 'caviar',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Choose the item the full card gives.');
    expect(bad.text).toContain('value="8"');
    const good = await owner.post('/admin/offers/stamp-card', {
      csrf: await csrf(),
      enabled: 'on',
      minimum: '10.00',
      stamps: '8',
      reward_kind: 'item',
      reward_item: 'fries',
    });
    expect(good.status).toBe(303);
    const ben = await assistant(t, 'offers-ben');
    const info = await ben.call('get_shop_info', {});
    expect(info.structuredContent).toMatchObject({
      stamp_card: { stamps: 0, stamps_needed: 8, minimum: { amount: 1000 }, reward: 'a free Fries (fries)' },
    });
    await ben.close();
    expect(audited(t, 'owner.offers.stamp_card.update')).toHaveLength(1);
  });
});
