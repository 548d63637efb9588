import { toPrinterCharset } from '../../devices/printer-charset.js';
import type { PrintBlock, PrintStyle } from '../../devices/printer-escpos.js';
import type { MenuIndex } from '../../domain/menu-index.js';
import { formatMoney } from '../../domain/money.js';
import type { AppliedOffer, DiscountedLine } from '../../domain/offer-types.js';
import { asDiscounted } from '../../domain/offers.js';
import type { Order } from '../../domain/order.js';
import { printerLine, printerLines } from '../../domain/printer-text.js';
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
export const MAX_ITEM_LINES = 150;
export const MAX_OPTIONS = 20;

/** Wraps one customer or menu string for the ticket; every such string goes through here. */
export function wrapped(value: string, width: number, maxLines: number, maxChars = 200): string[] {
  return printerLines(value, { width, maxLines, maxChars, fold: toPrinterCharset });
}

export function one(value: string, width: number): string {
  return printerLine(value, { width, maxChars: 120, fold: toPrinterCharset });
}

export function text(lines: readonly string[], style?: PrintStyle): PrintBlock {
  return style === undefined ? { kind: 'lines', lines } : { kind: 'lines', lines, style };
}

/** `value` wrapped after `prefix`, continuation lines indented to line up under the first. */
export function prefixed(prefix: string, value: string, width: number, maxLines: number): string[] {
  const indent = ' '.repeat(prefix.length);
  return wrapped(value, width - prefix.length, maxLines).map((line, i) => (i === 0 ? prefix : indent) + line);
}

export function money(amount: number, input: TicketInput): string {
  return formatMoney(amount, input.order.currency, input.settings.profile.locale);
}

/** The lines as placed (frozen prices and discounts); an order without them shows its raw lines by menu name. */
export function ticketLines(input: TicketInput): readonly DiscountedLine[] {
  if (input.order.priced !== undefined) return asDiscounted(input.order.priced).lines;
  return input.order.lines.map((line) => ({
    itemId: line.itemId,
    name: input.menu.items.get(line.itemId)?.name ?? line.itemId,
    quantity: line.quantity,
    options: line.optionIds.map((id) => ({ id, name: input.menu.options.get(id)?.name ?? id, price: 0 })),
    note: line.note,
    taxRateId: '',
    unitPrice: 0,
    lineTotal: 0,
    discount: 0,
    net: 0,
  }));
}

/** The offers the order was placed with (meal deals group their parts under the deal's name). */
export function ticketOffers(input: TicketInput): readonly AppliedOffer[] {
  return input.order.priced === undefined ? [] : asDiscounted(input.order.priced).applied;
}

export function paymentRow(input: TicketInput, width: number): PrintBlock {
  const total = one(money(input.order.priced?.totals.total ?? 0, input), width);
  // The pay-at-pickup handler of a delivery is paid to the driver.
  const unpaid = input.order.fulfillment.type === 'delivery' ? 'PAY ON DELIVERY' : 'PAY AT PICKUP';
  return input.order.payment?.method === 'pay_at_pickup'
    ? { kind: 'row', left: unpaid, right: total, style: { bold: true, invert: true } }
    : { kind: 'row', left: 'PAID', right: total, style: { bold: true } };
}

export function header(input: TicketInput, width: number): PrintBlock[] {
  const center = { align: 'center' } as const;
  const blocks: PrintBlock[] = [];
  if (input.reprint) blocks.push(text(['REPRINT'], { ...center, bold: true, invert: true, size: 2 }));
  blocks.push(text(wrapped(input.settings.profile.name, width, 2, 80), { ...center, bold: true }));
  blocks.push(text([one(input.order.code, Math.floor(width / 2))], { ...center, bold: true, size: 2 }));
  return blocks;
}
