import type { PrintBlock } from '../../devices/printer-escpos.js';
import { groupDealLines } from '../../domain/deal-groups.js';
import type { DiscountedLine } from '../../domain/offer-types.js';
import { asDiscounted } from '../../domain/offers.js';
import type { PricedOrder } from '../../domain/pricing.js';
import {
  header,
  MAX_ITEM_LINES,
  MAX_OPTIONS,
  money,
  one,
  paymentRow,
  prefixed,
  type TicketInput,
  text,
  ticketLines,
  ticketOffers,
  wrapped,
} from './ticket-parts.js';

/** `left` cleaned for the printer after `pad` (cleaning would drop the indent), the amount on the right. */
function row(
  left: string,
  amount: number,
  input: TicketInput,
  width: number,
  pad = '',
  sign = '',
): PrintBlock {
  return {
    kind: 'row',
    left: pad + one(left, width - pad.length),
    right: one(sign + money(amount, input), width),
  };
}

/** An amount taken off, printed with an ASCII minus so every code page has it. */
function offRow(left: string, amount: number, input: TicketInput, width: number, pad = ''): PrintBlock {
  return row(left, amount, input, width, pad, '-');
}

/** One priced line: quantity, name and price, its options under it, then what offers took off it. */
function receiptLine(line: DiscountedLine, input: TicketInput, width: number, pad: string): PrintBlock[] {
  return [
    row(`${line.quantity} x ${line.name}`, line.lineTotal, input, width, pad),
    text(line.options.slice(0, MAX_OPTIONS).flatMap((o) => prefixed(`${pad}  + `, o.name, width, 1))),
    ...(line.discount > 0 ? [offRow('Discount', line.discount, input, width, `${pad}  `)] : []),
  ];
}

/** The lines, a meal deal's parts indented under the deal's name. */
function receiptItems(input: TicketInput, width: number): PrintBlock[] {
  const lines = ticketLines(input);
  const groups = groupDealLines(
    lines.map((_, i) => i),
    ticketOffers(input),
  );
  return groups.flatMap((group): PrintBlock[] => {
    if (group.kind === 'line') {
      const line = lines[group.index];
      return line === undefined ? [] : receiptLine(line, input, width, '');
    }
    return [
      text(prefixed(`${group.bundles} x `, group.name, width, 2), { bold: true }),
      ...group.indexes.flatMap((i) => {
        const line = lines[i];
        return line === undefined ? [] : receiptLine(line, input, width, '  ');
      }),
    ];
  });
}

/** Items at menu prices, each offer taken off, the subtotal, then tax, fees, tip and delivery. */
function totalRows(priced: PricedOrder, input: TicketInput, width: number): PrintBlock[] {
  const order = asDiscounted(priced);
  const t = order.totals;
  const offers =
    t.discount > 0
      ? [
          row('Items', t.itemsBase, input, width),
          ...order.applied.map((a) =>
            offRow(a.code === undefined ? a.name : `${a.name} (${a.code})`, a.amount, input, width),
          ),
        ]
      : [];
  return [
    ...offers,
    row('Subtotal', t.subtotal, input, width),
    ...t.taxBreakdown.map((tax) =>
      row(`${tax.name} ${tax.percent}%${t.taxIncluded ? ' (incl.)' : ''}`, tax.amount, input, width),
    ),
    ...(t.fee > 0 ? [row('Service fee', t.fee, input, width)] : []),
    ...(t.tip > 0 ? [row('Tip', t.tip, input, width)] : []),
    ...(t.delivery === undefined ? [] : [row('Delivery', t.delivery, input, width)]),
  ];
}

/** The customer's receipt: the shop, the order's lines with prices and discounts, the totals, the QR. */
export function customerReceipt(input: TicketInput, width: number): PrintBlock[] {
  const { profile } = input.settings;
  const placed = input.order.placedAt ?? input.order.createdAt;
  return [
    ...header(input, width),
    text([...wrapped(profile.address, width, 2), ...wrapped(profile.phone, width, 1, 40)], {
      align: 'center',
    }),
    text(wrapped(input.formatTime(placed), width, 1), { align: 'center' }),
    { kind: 'rule' },
    ...receiptItems(input, width).slice(0, MAX_ITEM_LINES),
    { kind: 'rule' },
    ...(input.order.priced === undefined ? [] : totalRows(input.order.priced, input, width)),
    paymentRow(input, width),
    { kind: 'blank' },
    text(['Thank you!'], { align: 'center' }),
    { kind: 'qr', url: input.orderUrl },
  ];
}
