import { toPrinterCharset } from '../../devices/printer-charset.js';
import { encodeEscPos, type PrintBlock, paperColumns } from '../../devices/printer-escpos.js';
import type { DayReport } from '../../domain/day-report.js';
import { formatMoney } from '../../domain/money.js';
import { printerLine } from '../../domain/printer-text.js';
import type { ShopSettings } from '../../domain/shop-settings.js';
import { channelLabel, paymentLabel } from './report-labels.js';

/** A report on kitchen paper: every text goes through the printer-text cleaning, menu names included. */
export function reportTicket(
  report: DayReport,
  kind: 'X' | 'Z',
  settings: ShopSettings,
  formatTime: (instant: Date) => string,
): { bytes: Buffer; text: string } {
  const width = paperColumns(settings.printer.paperWidthMm);
  const clean = (text: string, max = width) => printerLine(text, { width: max, fold: toPrinterCharset });
  const money = (amount: number) => clean(formatMoney(amount, report.currency, settings.profile.locale), 16);
  const row = (left: string, amount: number): PrintBlock => ({
    kind: 'row',
    left: clean(left, width - 17),
    right: money(amount),
  });
  const count = (left: string, orders: number, amount: number): PrintBlock =>
    row(`${left} (${orders})`, amount);
  const blocks: PrintBlock[] = [
    { kind: 'lines', lines: [`${kind} REPORT`], style: { align: 'center', bold: true, size: 2 } },
    { kind: 'lines', lines: [clean(settings.profile.name)], style: { align: 'center' } },
    {
      kind: 'lines',
      lines: [clean(report.day), clean(`as of ${formatTime(new Date(report.asOf))}`)],
    },
    { kind: 'rule' },
    { kind: 'row', left: 'Orders', right: String(report.orders) },
    row('Gross', report.gross),
    row('Items', report.items),
    row('Discounts', report.discounts === 0 ? 0 : -report.discounts),
    count('Refunds', report.refunds.orders, report.refunds.amount === 0 ? 0 : -report.refunds.amount),
    ...report.tax.map((t) => row(`Tax ${t.name} ${t.percent}%`, t.net)),
    row('Tips', report.tips),
    row('Fees', report.fees),
    row('Delivery', report.delivery),
    row('Net', report.net),
    { kind: 'rule' },
    ...report.payments.map((p) => count(paymentLabel(p.method), p.orders, p.amount)),
    ...report.channels.map((c) => count(channelLabel(c.channel), c.orders, c.amount)),
    { kind: 'rule' },
    ...report.itemsSold.map((i) => row(`${i.quantity} x ${i.name}`, i.amount)),
    { kind: 'rule' },
  ];
  return encodeEscPos({ blocks }, width);
}
