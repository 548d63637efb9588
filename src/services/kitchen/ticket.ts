import { toPrinterCharset } from '../../devices/printer-charset.js';
import {
  encodeEscPos,
  type PrintBlock,
  type PrintDocument,
  type PrintStyle,
  paperColumns,
} from '../../devices/printer-escpos.js';
import type { DeliveryAddress } from '../../domain/delivery.js';
import type { MenuIndex } from '../../domain/menu-index.js';
import { formatMoney } from '../../domain/money.js';
import type { Order } from '../../domain/order.js';
import type { PricedLine, PricedOrder } from '../../domain/pricing.js';
import { cleanPrinterText, printerLine, printerLines } from '../../domain/printer-text.js';
import type { ShopSettings } from '../../domain/shop-settings.js';
import type { StationPart } from '../../store/print-jobs-repo.js';

/** What a ticket or receipt is made from. */
export interface TicketInput {
  readonly order: Order;
  /** `ticket`: the kitchen's; `receipt`: the customer's, with prices (when the settings ask for one). */
  readonly kind: 'ticket' | 'receipt';
  /** Headed REPRINT: this order may already have a ticket in the kitchen. */
  readonly reprint: boolean;
  /** A station's ticket: only its lines, headed with its name and "Station 1 of 3". */
  readonly station?: StationPart | undefined;
  /** The main printer's ticket of an order split over stations: how many station tickets go with it. */
  readonly parts?: number;
  readonly settings: ShopSettings;
  /** The current menu, for allergens. */
  readonly menu: MenuIndex;
  /** The order's page (server-built ASCII URL) for the QR code. */
  readonly orderUrl: string;
  /** An instant in shop time and locale ("Tue, Nov 24, 12:30 PM"). */
  readonly formatTime: (instant: Date) => string;
  /** Keyed in by the shop's staff (a phone or counter order): the ticket says so. */
  readonly staffEntered?: boolean;
}

/** Item rows on one ticket at most; a longer order points to its page for the rest. */
const MAX_ITEM_LINES = 150;
const MAX_OPTIONS = 20;

/** Wraps one customer or menu string for the ticket; every such string goes through here. */
function wrapped(value: string, width: number, maxLines: number, maxChars = 200): string[] {
  return printerLines(value, { width, maxLines, maxChars, fold: toPrinterCharset });
}

function one(value: string, width: number): string {
  return printerLine(value, { width, maxChars: 120, fold: toPrinterCharset });
}

function text(lines: readonly string[], style?: PrintStyle): PrintBlock {
  return style === undefined ? { kind: 'lines', lines } : { kind: 'lines', lines, style };
}

/** `value` wrapped after `prefix`, continuation lines indented to line up under the first. */
function prefixed(prefix: string, value: string, width: number, maxLines: number): string[] {
  const indent = ' '.repeat(prefix.length);
  return wrapped(value, width - prefix.length, maxLines).map((line, i) => (i === 0 ? prefix : indent) + line);
}

/** The first word of the name, cleaned first so no invisible character counts as a word. */
function firstName(name: string | undefined): string | undefined {
  return cleanPrinterText(name ?? '').split(' ')[0] || undefined;
}

function pickupText(input: TicketInput): string {
  return input.order.pickupSlot === undefined ? 'ASAP' : input.formatTime(input.order.pickupSlot);
}

function money(amount: number, input: TicketInput): string {
  return formatMoney(amount, input.order.currency, input.settings.profile.locale);
}

/** The lines as placed (frozen prices); an order without them shows its raw lines by menu name. */
function pricedLines(input: TicketInput): readonly PricedLine[] {
  if (input.order.priced !== undefined) return input.order.priced.lines;
  return input.order.lines.map((line) => ({
    itemId: line.itemId,
    name: input.menu.items.get(line.itemId)?.name ?? line.itemId,
    quantity: line.quantity,
    options: line.optionIds.map((id) => ({ id, name: input.menu.options.get(id)?.name ?? id, price: 0 })),
    note: line.note,
    taxRateId: '',
    unitPrice: 0,
    lineTotal: 0,
  }));
}

/** One order line for the kitchen: quantity and name in bold, options indented, note and allergens loud. */
function kitchenLine(line: PricedLine, input: TicketInput, width: number): PrintBlock[] {
  const named = prefixed(`${line.quantity} x `, line.name, width, 3);
  // A name that cleans down to nothing still leaves the quantity and the item's id for the cook.
  const title = named.length > 0 ? named : prefixed(`${line.quantity} x `, line.itemId, width, 1);
  const blocks: PrintBlock[] = [text(title, { bold: true })];
  const options = line.options.slice(0, MAX_OPTIONS).flatMap((o) => prefixed('  + ', o.name, width, 2));
  if (line.options.length > MAX_OPTIONS) options.push(`  + ${line.options.length - MAX_OPTIONS} more`);
  if (options.length > 0) blocks.push(text(options));
  if (line.note !== undefined && line.note.trim() !== '') {
    blocks.push(text(prefixed('  NOTE: ', line.note, width, 5), { bold: true }));
  }
  const allergens = input.menu.items.get(line.itemId)?.allergens ?? [];
  if (allergens.length > 0) {
    const list = allergens.join(', ').toUpperCase();
    blocks.push(text(prefixed('  ALLERGENS: ', list, width, 3), { bold: true, invert: true }));
  }
  return blocks;
}

function kitchenItems(input: TicketInput, width: number): PrintBlock[] {
  const blocks: PrintBlock[] = [];
  let printed = 0;
  const all = pricedLines(input);
  const { station } = input;
  const lines = station === undefined ? all : station.lines.flatMap((i) => all[i] ?? []);
  for (const [index, line] of lines.entries()) {
    const rows = kitchenLine(line, input, width);
    const count = rows.reduce((sum, b) => sum + (b.kind === 'lines' ? b.lines.length : 1), 0);
    if (printed + count > MAX_ITEM_LINES) {
      blocks.push(text([`... ${lines.length - index} more line(s): see the order page`], { bold: true }));
      break;
    }
    blocks.push(...rows);
    printed += count;
  }
  return blocks;
}

function paymentRow(input: TicketInput, width: number): PrintBlock {
  const total = one(money(input.order.priced?.totals.total ?? 0, input), width);
  // The pay-at-pickup handler of a delivery is paid to the driver.
  const unpaid = input.order.fulfillment.type === 'delivery' ? 'PAY ON DELIVERY' : 'PAY AT PICKUP';
  return input.order.payment?.method === 'pay_at_pickup'
    ? { kind: 'row', left: unpaid, right: total, style: { bold: true, invert: true } }
    : { kind: 'row', left: 'PAID', right: total, style: { bold: true } };
}

/** A delivery's heading line: DELIVERY, when the kitchen has it ready. */
function deliveryHeading(input: TicketInput, width: number): PrintBlock {
  return text(wrapped(`DELIVERY - ready ${pickupText(input)}`, width, 2), { align: 'center', bold: true });
}

/** Where the driver goes: the address as the customer gave it, every part cleaned for the printer. */
function deliveryBlock(address: DeliveryAddress, width: number): PrintBlock[] {
  const lines = [
    ...wrapped(address.name, width, 2, 100),
    ...wrapped(address.line1, width, 3),
    ...wrapped(address.line2 ?? '', width, 2),
    ...wrapped(`${address.postalCode} ${address.city}`, width, 2),
    ...(address.phone === undefined ? [] : prefixed('Tel ', address.phone, width, 1)),
  ];
  return [{ kind: 'rule' }, text(['DELIVERY'], { bold: true, invert: true }), text(lines, { bold: true })];
}

function header(input: TicketInput, width: number): PrintBlock[] {
  const center = { align: 'center' } as const;
  const blocks: PrintBlock[] = [];
  if (input.reprint) blocks.push(text(['REPRINT'], { ...center, bold: true, invert: true, size: 2 }));
  blocks.push(text(wrapped(input.settings.profile.name, width, 2, 80), { ...center, bold: true }));
  blocks.push(text([one(input.order.code, Math.floor(width / 2))], { ...center, bold: true, size: 2 }));
  return blocks;
}

/** A station's ticket: its name and place, the order code and pickup time, and only its lines. */
function stationTicket(input: TicketInput, station: StationPart, width: number): PrintBlock[] {
  const center = { align: 'center' } as const;
  const blocks: PrintBlock[] = [];
  if (input.reprint) blocks.push(text(['REPRINT'], { ...center, bold: true, invert: true, size: 2 }));
  blocks.push(
    text([one(station.name.toUpperCase(), Math.floor(width / 2))], { ...center, bold: true, size: 2 }),
  );
  blocks.push(text([`Station ${station.part} of ${station.parts}`], center));
  blocks.push(text([one(input.order.code, Math.floor(width / 2))], { ...center, bold: true, size: 2 }));
  const when = input.order.fulfillment.type === 'delivery' ? 'Delivery ready' : 'Pickup';
  blocks.push(text(wrapped(`${when} ${pickupText(input)}`, width, 2), { ...center, bold: true }));
  return [...blocks, { kind: 'rule' }, ...kitchenItems(input, width), { kind: 'blank' }];
}

/** The main printer's line over an order split over stations: this ticket has everything, for packing. */
function expoLine(input: TicketInput, width: number): PrintBlock[] {
  const parts = input.parts ?? 0;
  if (parts === 0 || input.kind !== 'ticket') return [];
  return [text(wrapped(`EXPO - all items, ${parts} station ticket(s)`, width, 2), { align: 'center' })];
}

function kitchenTicket(input: TicketInput, width: number): PrintBlock[] {
  if (input.station !== undefined) return stationTicket(input, input.station, width);
  const name = firstName(input.order.customerName);
  const { fulfillment } = input.order;
  return [
    ...header(input, width),
    ...expoLine(input, width),
    fulfillment.type === 'delivery'
      ? deliveryHeading(input, width)
      : text(wrapped(`Pickup ${pickupText(input)}`, width, 2), { align: 'center', bold: true }),
    ...(name === undefined ? [] : [text(wrapped(`For ${name}`, width, 1, 60), { align: 'center' })]),
    ...(input.staffEntered === true ? [text(['STAFF ORDER'], { align: 'center', bold: true })] : []),
    ...(fulfillment.type === 'delivery' ? deliveryBlock(fulfillment.address, width) : []),
    { kind: 'rule' },
    ...kitchenItems(input, width),
    { kind: 'rule' },
    paymentRow(input, width),
    { kind: 'blank' },
    { kind: 'qr', url: input.orderUrl },
  ];
}

function totalRows(priced: PricedOrder, input: TicketInput, width: number): PrintBlock[] {
  const row = (left: string, amount: number): PrintBlock => ({
    kind: 'row',
    left: one(left, width),
    right: one(money(amount, input), width),
  });
  const t = priced.totals;
  return [
    row('Subtotal', t.subtotal),
    ...t.taxBreakdown.map((tax) =>
      row(`${tax.name} ${tax.percent}%${t.taxIncluded ? ' (incl.)' : ''}`, tax.amount),
    ),
    ...(t.fee > 0 ? [row('Service fee', t.fee)] : []),
    ...(t.tip > 0 ? [row('Tip', t.tip)] : []),
    ...(t.delivery === undefined ? [] : [row('Delivery', t.delivery)]),
  ];
}

function customerReceipt(input: TicketInput, width: number): PrintBlock[] {
  const { profile } = input.settings;
  const placed = input.order.placedAt ?? input.order.createdAt;
  const items = pricedLines(input).flatMap((line): PrintBlock[] => [
    {
      kind: 'row',
      left: one(`${line.quantity} x ${line.name}`, width),
      right: one(money(line.lineTotal, input), width),
    },
    text(line.options.slice(0, MAX_OPTIONS).flatMap((o) => prefixed('  + ', o.name, width, 1))),
  ]);
  return [
    ...header(input, width),
    text([...wrapped(profile.address, width, 2), ...wrapped(profile.phone, width, 1, 40)], {
      align: 'center',
    }),
    text(wrapped(input.formatTime(placed), width, 1), { align: 'center' }),
    { kind: 'rule' },
    ...items.slice(0, MAX_ITEM_LINES),
    { kind: 'rule' },
    ...(input.order.priced === undefined ? [] : totalRows(input.order.priced, input, width)),
    paymentRow(input, width),
    { kind: 'blank' },
    text(['Thank you!'], { align: 'center' }),
    { kind: 'qr', url: input.orderUrl },
  ];
}

/**
 * Lays out the kitchen ticket (shop, large order code, pickup time — or DELIVERY with the address —,
 * first name, items with options, notes and allergens, PAID or PAY AT PICKUP with the total, QR to the
 * order page) or the customer's receipt, for paper `width` characters wide. Every customer or menu
 * string is cleaned and wrapped here.
 */
export function ticketDocument(input: TicketInput, width: number): PrintDocument {
  const blocks = input.kind === 'ticket' ? kitchenTicket(input, width) : customerReceipt(input, width);
  return { blocks: blocks.filter((b) => b.kind !== 'lines' || b.lines.length > 0) };
}

/** The ESC/POS bytes of a ticket or receipt for the shop's paper, and their plain-text rendering. */
export function renderTicket(input: TicketInput): { bytes: Buffer; text: string } {
  const width = paperColumns(input.settings.printer.paperWidthMm);
  return encodeEscPos(ticketDocument(input, width), width);
}
