import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, type OwnerBrowser, onboard, orderState, paidOrder } from './helpers/owner-browser.js';
import { runCli } from './helpers/run-cli.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

let t: TestApp;
let owner: OwnerBrowser;
/** The day's two paid orders' totals, in cents; the second was refunded. */
let totals: number[] = [];
beforeAll(async () => {
  t = await startTestApp();
  owner = await onboard(t);
  const kept = await paidOrder(t, 'Ada');
  const refunded = await paidOrder(t, 'Bo', { item_id: 'cheeseburger', quantity: 2 });
  const ask = await owner.get(`/admin/orders/${refunded.id}/cancel`);
  await owner.post(`/admin/orders/${refunded.id}/cancel`, { csrf: ask.csrf ?? '' });
  expect(orderState(t, refunded.id)).toBe('refunded');
  totals = [kept.id, refunded.id].map((id) => query('SELECT total FROM orders WHERE id = ?', id) as number);
});
afterAll(async () => {
  await t?.stop();
});

function query(sql: string, ...params: unknown[]): unknown {
  const conn = db(t);
  try {
    return conn
      .prepare(sql)
      .pluck()
      .get(...params);
  } finally {
    conn.close();
  }
}

/** The CSV's rows as objects keyed by `section/name`. */
function csvRows(text: string): Map<string, Record<string, string>> {
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  return new Map(rows.map((r) => [`${r.section}/${r.name}`, r]));
}

const dollars = (cents: number) => (cents / 100).toFixed(2);

describe('the reports page', () => {
  it('shows the X report of today so far, with a guide link', async () => {
    const page = await owner.get('/admin/reports');
    expect(page.status).toBe(200);
    expect(page.text).toContain('X report: today so far');
    expect(page.text).toContain('href="/admin/guide/owner#day-close"');
    expect(page.text).toContain(`$${dollars((totals[0] ?? 0) + (totals[1] ?? 0))}`);
    expect(page.text).toContain('Close the day');
  });

  it('downloads the X report as CSV whose totals are the sum of the day’s orders', async () => {
    const csv = await owner.get('/admin/reports/x.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csvRows(csv.text);
    const [kept = 0, refunded = 0] = totals;
    expect(rows.get('total/gross')).toMatchObject({ orders: '2', amount: dollars(kept + refunded) });
    expect(rows.get('total/refunds')).toMatchObject({ orders: '1', amount: dollars(refunded) });
    expect(rows.get('total/net')?.amount).toBe(dollars(kept));
    expect(rows.get('item/Cheeseburger')?.quantity).toBe('3');
  });

  it('closes the day once behind CSRF, sealed in the audit chain the CLI verifies', async () => {
    const page = await owner.get('/admin/reports');
    expect((await owner.post('/admin/reports/close', {})).status).toBe(403);
    const closed = await owner.post('/admin/reports/close', { csrf: page.csrf ?? '' });
    expect(closed.status).toBe(303);
    expect(closed.location).toBe('/admin/reports/2026-11-24');
    const again = await owner.post('/admin/reports/close', { csrf: page.csrf ?? '' });
    expect(again.location).toBe('/admin/reports/2026-11-24');
    expect(query("SELECT count(*) FROM audit_log WHERE action = 'day.close'")).toBe(1);
    const sha256 = query("SELECT sha256 FROM day_closes WHERE day = '2026-11-24'") as string;
    const summary = query("SELECT input_summary FROM audit_log WHERE action = 'day.close'") as string;
    expect(summary).toContain(sha256);
    const verified = await runCli(['audit', 'verify'], { DATA_DIR: t.dataDir });
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('Audit log intact');
  });

  it('lists the closed day, shows its Z report and downloads it as CSV', async () => {
    const list = await owner.get('/admin/reports');
    expect(list.text).toContain('href="/admin/reports/2026-11-24/report.csv"');
    expect(list.text).toContain('Today was closed at');
    const z = await owner.get('/admin/reports/2026-11-24');
    expect(z.status).toBe(200);
    expect(z.text).toContain(query('SELECT sha256 FROM day_closes') as string);
    const csv = await owner.get('/admin/reports/2026-11-24/report.csv');
    expect(csv.headers['content-disposition']).toContain('z-report-2026-11-24.csv');
    expect(csvRows(csv.text).get('total/gross')?.orders).toBe('2');
    expect((await owner.get('/admin/reports/2026-11-23')).status).toBe(404);
  });

  it('prints the Z report on the kitchen printer', async () => {
    const page = await owner.get('/admin/reports/2026-11-24');
    const printed = await owner.post('/admin/reports/2026-11-24/print', { csrf: page.csrf ?? '' });
    expect(printed.status).toBe(303);
    const dir = join(t.dataDir, 'tickets');
    const name = readdirSync(dir).find((n) => n.startsWith('report-Z-2026-11-24') && n.endsWith('.txt'));
    expect(name).toBeDefined();
    const text = readFileSync(join(dir, name ?? ''), 'utf8');
    expect(text).toContain('Z REPORT');
    expect(text).toContain('3 x Cheeseburger');
    expect(query("SELECT count(*) FROM audit_log WHERE action = 'owner.reports.print'")).toBe(1);
  });

  it('says when orders came in after the close, and offers to close yesterday when it was left open', async () => {
    await paidOrder(t, 'Cy');
    expect((await owner.get('/admin/reports')).text).toContain('1 order(s) came in after the close');
    t.clock.set('2026-11-25T17:00:00Z');
    await paidOrder(t, 'Di');
    t.clock.set('2026-11-26T15:00:00Z');
    // A day later the owner signs in again (sessions end after 12 idle hours).
    await owner.login();
    const page = await owner.get('/admin/reports');
    expect(page.text).toContain('Close 2026-11-25');
    expect(page.text).not.toContain('Close 2026-11-24');
    const future = await owner.post('/admin/reports/close', { csrf: page.csrf ?? '', day: '2026-11-27' });
    expect(future.location).toBe('/admin/reports');
    expect((await owner.get('/admin/reports')).text).toContain('2026-11-27 has not begun');
    const closed = await owner.post('/admin/reports/close', { csrf: page.csrf ?? '', day: '2026-11-25' });
    expect(closed.location).toBe('/admin/reports/2026-11-25');
    expect(query("SELECT json_extract(report, '$.orders') FROM day_closes WHERE day = '2026-11-25'")).toBe(1);
    expect((await owner.get('/admin/reports')).text).not.toContain('Close 2026-11-25');
  });

  it('sets the time the day closes by itself, refusing one that is no time', async () => {
    const setting = () => JSON.parse(query("SELECT value FROM settings WHERE key = 'dayClose'") as string);
    const page = await owner.get('/admin/reports');
    expect(page.text).toContain('name="auto_close_at"');
    await owner.post('/admin/reports/auto', { csrf: page.csrf ?? '', auto_close_at: '22:15' });
    expect(setting()).toEqual({ autoCloseAt: '22:15' });
    expect((await owner.get('/admin/reports')).text).toContain('value="22:15"');
    await owner.post('/admin/reports/auto', { csrf: page.csrf ?? '', auto_close_at: '25:00' });
    expect((await owner.get('/admin/reports')).text).toContain('Write the time like 22:30');
    expect(setting()).toEqual({ autoCloseAt: '22:15' });
    await owner.post('/admin/reports/auto', { csrf: page.csrf ?? '', auto_close_at: '' });
    expect(setting()).toEqual({ autoCloseAt: null });
    expect(query("SELECT count(*) FROM audit_log WHERE action = 'owner.settings.dayClose'")).toBe(2);
  });
});
