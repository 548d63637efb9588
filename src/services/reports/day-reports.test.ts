import { describe, expect, it } from 'vitest';
import { demoOrders } from '../../../test/helpers/demo-store.js';
import type { PrintOut } from '../../devices/printer.js';
import { isAppError } from '../../domain/app-error.js';
import type { Order } from '../../domain/order.js';
import type { TipChoice } from '../../domain/pricing.js';
import { createSilentLogger } from '../../platform/logger.js';
import { createAuditRepo } from '../../store/audit-repo.js';
import { createDayClosesRepo } from '../../store/day-closes-repo.js';
import { createAuditLog } from '../audit/audit-log.js';
import { AUTO_CLOSE_ACTOR, createDayCloser } from './day-closer.js';
import { createDayReports } from './day-reports.js';

/** The demo shop in New York with drinks taxed at 10 %, on Tuesday 24 November 2026 from 11:00 local. */
function setup() {
  const demo = demoOrders('2026-11-24T16:00:00Z');
  const { store, clock, settings, shop, orders, ordersRepo } = demo;
  const tax = shop.settings().tax;
  settings.saveSection('tax', {
    ...tax,
    rates: tax.rates.map((r) => (r.id === 'drinks' ? { ...r, percent: 10 } : r)),
  });
  shop.refresh();
  const audit = createAuditLog({ store, repo: createAuditRepo({ store }), clock });
  const printed: PrintOut[] = [];
  const reports = createDayReports({
    store,
    repo: createDayClosesRepo({ store }),
    orders: ordersRepo,
    shop,
    audit,
    clock,
    print: async (out) => {
      printed.push(out);
      return { ok: true, detail: 'sim: document printed' };
    },
  });
  let n = 0;
  /** A customer orders, places and pays (demo card) at the clock's time; then the clock moves on. */
  const paid = (lines: { itemId: string; quantity: number; optionIds?: string[] }[], tip?: TipChoice) => {
    n += 1;
    const who = { subject: n === 2 ? `acp:key_${n}` : `guest-${n}` };
    const { order } = orders.create(who, lines, { customerName: `Guest ${n}`, tip });
    orders.place(who, order.id);
    const done = store.durableTransaction(() =>
      orders.transitionById(order.id, 'approve', `customer:${who.subject}`, { method: 'demo_card' }),
    );
    clock.advance(20 * 60_000);
    return done;
  };
  return { ...demo, audit, reports, printed, paid };
}

const LEMONADE = { itemId: 'lemonade', quantity: 2, optionIds: ['drink-small'] };
const BURGER = { itemId: 'cheeseburger', quantity: 1 };

describe('day reports', () => {
  it('the X report is the sum of the day’s paid orders, a refund and a tip included', () => {
    const s = setup();
    const day: Order[] = [
      s.paid([BURGER, LEMONADE]),
      s.paid([BURGER], { kind: 'amount', amount: 200 }),
      s.paid([LEMONADE]),
    ];
    day[2] = s.orders.transitionById(day[2]?.id ?? '', 'refund', 'owner');
    const x = s.reports.current();
    const sum = (f: (o: Order) => number) => day.reduce((total, o) => total + f(o), 0);
    expect(x.day).toBe('2026-11-24');
    expect(x.orders).toBe(3);
    expect(x.gross).toBe(sum((o) => o.priced?.totals.total ?? 0));
    expect(x.tips).toBe(200);
    expect(x.refunds).toEqual({ orders: 1, amount: day[2]?.priced?.totals.total });
    expect(x.net).toBe(x.gross - (day[2]?.priced?.totals.total ?? 0));
    expect(x.tax.map((t) => t.percent)).toEqual([10, 8.875]);
    expect(x.channels.map((c) => [c.channel, c.orders])).toEqual([
      ['acp', 1],
      ['mcp', 2],
    ]);
  });

  it('closes a day once: closing again answers the first close, sealed in the audit chain', () => {
    const s = setup();
    s.paid([BURGER]);
    const owner = { kind: 'owner', actor: 'owner' } as const;
    const first = s.reports.close(owner);
    expect(first.first).toBe(true);
    s.paid([BURGER]);
    const again = s.reports.close(owner);
    expect(again.first).toBe(false);
    expect(again.closed).toEqual(first.closed);
    expect(again.closed.report.orders).toBe(1);
    expect(
      s.store.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'day.close'").pluck().get(),
    ).toBe(1);
    const row = s.audit.recent({ actionPrefix: 'day.close' }, { limit: 5 })[0];
    expect(row?.seq).toBe(first.closed.auditSeq);
    expect(row?.inputSummary).toContain(first.closed.sha256);
    expect(s.audit.verify()).toMatchObject({ ok: true });
    expect(first.closed.intact).toBe(true);
  });

  it('shows a stored report changed after its close as no longer intact', () => {
    const s = setup();
    s.paid([BURGER]);
    s.reports.close({ kind: 'owner', actor: 'owner' });
    s.store.db
      .prepare('UPDATE day_closes SET report = replace(report, \'"orders":1\', \'"orders":0\')')
      .run();
    expect(s.reports.closed('2026-11-24')?.intact).toBe(false);
  });

  it('refuses a day that has not begun, and prints X now and Z only for a closed day', async () => {
    const s = setup();
    s.paid([BURGER]);
    const refused = (day: string) => {
      try {
        s.reports.close({ kind: 'owner', actor: 'owner' }, day);
        return undefined;
      } catch (error) {
        return isAppError(error, 'invalid_input') ? error.code : error;
      }
    };
    expect(refused('2026-11-25')).toBe('invalid_input');
    expect(refused('yesterday')).toBe('invalid_input');
    expect(refused('2026-02-30')).toBe('invalid_input');
    await expect(s.reports.print('2026-11-23')).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await s.reports.print()).toMatchObject({ ok: true });
    s.reports.close({ kind: 'owner', actor: 'owner' });
    await s.reports.print('2026-11-24');
    expect(s.printed.map((p) => p.text.split('\n')[0]?.trim())).toEqual(['X REPORT', 'Z REPORT']);
    expect(s.printed[1]?.text).toContain('Cheeseburger');
  });

  it('closes the day by itself at the owner’s time, and a day left open the next day, once each', () => {
    const s = setup();
    const closer = createDayCloser({
      reports: s.reports,
      shop: s.shop,
      clock: s.clock,
      log: createSilentLogger(),
    });
    s.paid([BURGER]);
    closer.check();
    expect(s.reports.history(5)).toEqual([]);
    s.settings.saveSection('dayClose', { autoCloseAt: '21:30' });
    s.shop.refresh();
    s.clock.set('2026-11-25T02:29:00Z');
    closer.check();
    expect(s.reports.history(5)).toEqual([]);
    s.clock.set('2026-11-25T02:30:00Z');
    closer.check();
    closer.check();
    expect(s.reports.history(5).map((c) => [c.day, c.closedBy, c.report.orders])).toEqual([
      ['2026-11-24', AUTO_CLOSE_ACTOR, 1],
    ]);
    // The next day's order, and the appliance off at its time: the day after, that day is closed whole.
    s.clock.set('2026-11-25T16:00:00Z');
    s.paid([BURGER]);
    s.clock.set('2026-11-26T15:00:00Z');
    closer.check();
    expect(s.reports.history(5).map((c) => [c.day, c.report.orders])).toEqual([
      ['2026-11-25', 1],
      ['2026-11-24', 1],
    ]);
    expect(s.audit.recent({ actionPrefix: 'day.close' }, { limit: 5 }).map((r) => r.actorKind)).toEqual([
      'system',
      'system',
    ]);
    expect(s.audit.verify()).toMatchObject({ ok: true });
  });
});
