import type { DayReport } from '../../domain/day-report.js';
import { toDecimalString } from '../../domain/money.js';
import { csvRecord } from '../audit/audit-csv.js';
import { channelLabel, paymentLabel } from './report-labels.js';

/** The CSV's columns: one row per figure, so a spreadsheet can sum any section. */
export const REPORT_CSV_HEADER = ['section', 'name', 'orders', 'quantity', 'amount', 'currency'];

/** A day's report as CSV (RFC 4180, CRLF), amounts as decimals of the currency ("18.40"). */
export function reportCsv(report: DayReport): string {
  const rows: (string | number | null)[][] = [];
  const money = (amount: number) => toDecimalString(amount, report.currency);
  const push = (
    section: string,
    name: string,
    orders: number | null,
    quantity: number | null,
    amount: number,
  ) => rows.push([section, name, orders, quantity, money(amount), report.currency]);
  push('total', 'gross', report.orders, null, report.gross);
  push('total', 'items', null, null, report.items);
  push('total', 'discounts', null, null, report.discounts);
  push('total', 'refunds', report.refunds.orders, null, report.refunds.amount);
  push('total', 'tips', null, null, report.tips);
  push('total', 'fees', null, null, report.fees);
  push('total', 'delivery', null, null, report.delivery);
  push('total', 'net', null, null, report.net);
  for (const t of report.tax) push('tax', `${t.name} ${t.percent}%`, null, null, t.net);
  for (const p of report.payments) push('payment', paymentLabel(p.method), p.orders, null, p.amount);
  for (const c of report.channels) push('channel', channelLabel(c.channel), c.orders, null, c.amount);
  for (const i of report.itemsSold) push('item', i.name, null, i.quantity, i.amount);
  for (const h of report.hours)
    push('hour', `${String(h.hour).padStart(2, '0')}:00`, h.orders, null, h.amount);
  return [REPORT_CSV_HEADER, ...rows].map(csvRecord).join('');
}
