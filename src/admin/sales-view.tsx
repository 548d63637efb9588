import type { Child } from 'hono/jsx';
import { formatMoney } from '../domain/money.js';
import type { ItemSales, SalesSummary } from '../domain/sales-summary.js';
import { guideLink } from './guide-link.js';
import { type ChartBar, columnChart, rowChart } from './sales-charts.js';

/** A day or the week (Monday to Sunday) around a local date. */
export type SalesPeriod = 'day' | 'week';

/** What the sales page shows: the period, its figures, and where the previous and next ones are. */
export interface SalesPageView {
  readonly period: SalesPeriod;
  /** The date the owner asked for ("YYYY-MM-DD", shop-local). */
  readonly date: string;
  /** The dates one period before and after; `next` is undefined past today. */
  readonly previous: string;
  readonly next: string | undefined;
  readonly summary: SalesSummary;
  readonly timezone: string;
  readonly locale: string;
}

const salesLink = (period: SalesPeriod, date?: string) =>
  date === undefined ? `/admin/sales?period=${period}` : `/admin/sales?period=${period}&date=${date}`;

/** "Sunday, November 1, 2026" for a shop-local date, in the shop's language. */
function longDate(date: string, locale: string, weekday = true): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    dateStyle: weekday ? 'full' : 'medium',
  }).format(new Date(`${date}T00:00:00Z`));
}

function periodName(v: SalesPageView): string {
  const { dates } = v.summary;
  if (v.period === 'day') return longDate(v.date, v.locale);
  return `${longDate(dates[0] ?? v.date, v.locale, false)} – ${longDate(dates.at(-1) ?? v.date, v.locale, false)}`;
}

const hourBars = (perHour: readonly number[]): ChartBar[] =>
  perHour.map((value, hour) => ({
    label: `${String(hour).padStart(2, '0')}:00–${String(hour).padStart(2, '0')}:59`,
    value,
    tick: hour % 3 === 0 ? String(hour) : undefined,
  }));

function dayBars(v: SalesPageView): ChartBar[] {
  const short = new Intl.DateTimeFormat(v.locale, { timeZone: 'UTC', weekday: 'short' });
  return v.summary.perDay.map((day) => {
    const name = short.format(new Date(`${day.date}T00:00:00Z`));
    return { label: longDate(day.date, v.locale), value: day.orders, tick: `${name} ${day.date.slice(8)}` };
  });
}

function itemBars(items: readonly ItemSales[], by: 'quantity' | 'amount', v: SalesPageView): ChartBar[] {
  return items.map((item) => ({
    label: item.name,
    value: item[by],
    text: by === 'amount' ? formatMoney(item.amount, v.summary.currency, v.locale) : String(item.quantity),
  }));
}

/** The day/week switch and the links to the period before, today's, and the one after. */
function periodLinks(v: SalesPageView): Child {
  return (
    <nav class="periods" aria-label="Which sales">
      <a href={salesLink('day', v.date)} aria-current={v.period === 'day' ? 'page' : undefined}>
        Day
      </a>{' '}
      <a href={salesLink('week', v.date)} aria-current={v.period === 'week' ? 'page' : undefined}>
        Week
      </a>{' '}
      <a href={salesLink(v.period, v.previous)}>{v.period === 'day' ? 'Previous day' : 'Previous week'}</a>{' '}
      <a href={salesLink(v.period)}>Today</a>{' '}
      {v.next === undefined ? null : (
        <a href={salesLink(v.period, v.next)}>{v.period === 'day' ? 'Next day' : 'Next week'}</a>
      )}
    </nav>
  );
}

function totals(v: SalesPageView): Child {
  const { summary: s, locale } = v;
  const money = (amount: number) => formatMoney(amount, s.currency, locale);
  return (
    <p class="totals">
      <strong>{`${s.orders} paid ${s.orders === 1 ? 'order' : 'orders'}`}</strong>
      {` · ${money(s.amount)}`}
      {s.refunds.orders === 0 ? null : ` · ${s.refunds.orders} refunded (${money(s.refunds.amount)})`}
    </p>
  );
}

/** The busiest hour in words, for the description a screen reader reads before the table. */
function busiest(perHour: readonly number[]): string {
  const most = Math.max(...perHour);
  if (most === 0) return 'No paid orders.';
  const hour = perHour.indexOf(most);
  return `Busiest: ${String(hour).padStart(2, '0')}:00 with ${most} ${most === 1 ? 'order' : 'orders'}.`;
}

/** Orders per hour (and per day for a week). */
function orderCharts(v: SalesPageView): Child {
  const week = v.period === 'week';
  const perDay = {
    id: 'per-day',
    title: 'Orders per day',
    desc: 'Paid orders placed on each day of the week.',
    columns: ['Day', 'Orders'],
  } as const;
  const perHour = {
    id: 'per-hour',
    title: week ? 'Orders per hour of the day' : 'Orders per hour',
    desc: `Paid orders placed in each hour of the shop’s clock (${v.timezone})${week ? ', all seven days added up' : ''}. ${busiest(v.summary.perHour)}`,
    columns: ['Hour', 'Orders'],
  } as const;
  return (
    <>
      {week ? columnChart(perDay, dayBars(v)) : null}
      {columnChart(perHour, hourBars(v.summary.perHour))}
    </>
  );
}

/** The top items by units and by amount. */
function itemCharts(v: SalesPageView): Child {
  const { summary: s } = v;
  if (s.topByQuantity.length === 0) return <p>No items sold in this period.</p>;
  const byQuantity = {
    id: 'top-quantity',
    title: 'Top items by quantity',
    desc: 'Units sold of the best-selling items.',
    columns: ['Item', 'Units'],
  } as const;
  const byAmount = {
    id: 'top-amount',
    title: 'Top items by amount',
    desc: 'What the lines of the best-selling items came to, options included, before tax and tips.',
    columns: ['Item', 'Amount'],
  } as const;
  return (
    <>
      {rowChart(byQuantity, itemBars(s.topByQuantity, 'quantity', v))}
      {rowChart(byAmount, itemBars(s.topByAmount, 'amount', v))}
    </>
  );
}

/** The sales page's body: what it counts, the period switch, the totals and the charts. */
export function salesBody(v: SalesPageView): Child {
  return (
    <>
      <p class="hint intro">
        Paid orders by the time they were placed, on the shop’s clock. Refunded orders are counted apart;
        canceled, expired and unconfirmed ones are not counted. {guideLink('sales')}
      </p>
      {periodLinks(v)}
      <section class="card">
        <h2>{periodName(v)}</h2>
        {totals(v)}
        {orderCharts(v)}
        <h2>Top items</h2>
        {itemCharts(v)}
      </section>
    </>
  );
}
