import {
  encodeEscPos,
  type PrintBlock,
  type PrintDocument,
  paperColumns,
} from '../../devices/printer-escpos.js';
import { groupDealLines, type LineGroup } from '../../domain/deal-groups.js';
import type { DeliveryAddress } from '../../domain/delivery.js';
import { asDiscounted } from '../../domain/offers.js';
import type { PricedLine } from '../../domain/pricing.js';
import { cleanPrinterText } from '../../domain/printer-text.js';
import type { StationPart } from '../../store/print-jobs-repo.js';
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
import { customerReceipt } from './ticket-receipt.js';

export type { TicketInput } from './ticket-parts.js';

/** The first word of the name, cleaned first so no invisible character counts as a word. */
function firstName(name: string | undefined): string | undefined {
  return cleanPrinterText(name ?? '').split(' ')[0] || undefined;
}

function pickupText(input: TicketInput): string {
  return input.order.pickupSlot === undefined ? 'ASAP' : input.formatTime(input.order.pickupSlot);
}

/**
 * One order line for the kitchen: quantity and name in bold, options indented, note and allergens loud;
 * `pad` indents all of it (a meal deal's part under the deal's name).
 */
function kitchenLine(line: PricedLine, input: TicketInput, width: number, pad = ''): PrintBlock[] {
  const named = prefixed(`${pad}${line.quantity} x `, line.name, width, 3);
  // A name that cleans down to nothing still leaves the quantity and the item's id for the cook.
  const title = named.length > 0 ? named : prefixed(`${pad}${line.quantity} x `, line.itemId, width, 1);
  const blocks: PrintBlock[] = [text(title, { bold: true })];
  const options = line.options.slice(0, MAX_OPTIONS).flatMap((o) => prefixed(`${pad}  + `, o.name, width, 2));
  if (line.options.length > MAX_OPTIONS) options.push(`${pad}  + ${line.options.length - MAX_OPTIONS} more`);
  if (options.length > 0) blocks.push(text(options));
  if (line.note !== undefined && line.note.trim() !== '') {
    blocks.push(text(prefixed(`${pad}  NOTE: `, line.note, width, 5), { bold: true }));
  }
  const allergens = input.menu.items.get(line.itemId)?.allergens ?? [];
  if (allergens.length > 0) {
    const list = allergens.join(', ').toUpperCase();
    blocks.push(text(prefixed(`${pad}  ALLERGENS: `, list, width, 3), { bold: true, invert: true }));
  }
  return blocks;
}

/** The rows of one line, or of a meal deal: its name (how many) with its parts indented under it. */
function kitchenGroup(group: LineGroup, input: TicketInput, width: number): PrintBlock[] {
  const lines = ticketLines(input);
  if (group.kind === 'line') {
    const line = lines[group.index];
    return line === undefined ? [] : kitchenLine(line, input, width);
  }
  const title = prefixed(`${group.bundles} x `, group.name, width, 2);
  return [
    text(title.length > 0 ? title : [`${group.bundles} x MEAL DEAL`], { bold: true }),
    ...group.indexes.flatMap((i) => {
      const line = lines[i];
      return line === undefined ? [] : kitchenLine(line, input, width, '   ');
    }),
  ];
}

function kitchenItems(input: TicketInput, width: number): PrintBlock[] {
  const blocks: PrintBlock[] = [];
  let printed = 0;
  const { station } = input;
  const indexes = station === undefined ? ticketLines(input).map((_, i) => i) : station.lines;
  const groups = groupDealLines(indexes, ticketOffers(input));
  for (const [index, group] of groups.entries()) {
    const rows = kitchenGroup(group, input, width);
    const count = rows.reduce((sum, b) => sum + (b.kind === 'lines' ? b.lines.length : 1), 0);
    if (printed + count > MAX_ITEM_LINES) {
      const left = groups
        .slice(index)
        .reduce((sum, g) => sum + (g.kind === 'line' ? 1 : g.indexes.length), 0);
      blocks.push(text([`... ${left} more line(s): see the order page`], { bold: true }));
      break;
    }
    blocks.push(...rows);
    printed += count;
  }
  return blocks;
}

/** On the main ticket, what offers took off, so whoever packs or takes the money sees why it is less. */
function offersRow(input: TicketInput, width: number): PrintBlock[] {
  const discount = input.order.priced === undefined ? 0 : asDiscounted(input.order.priced).totals.discount;
  if (discount === 0) return [];
  return [{ kind: 'row', left: 'Offers', right: one(`-${money(discount, input)}`, width) }];
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
    ...offersRow(input, width),
    paymentRow(input, width),
    { kind: 'blank' },
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
