import type { z } from 'zod';
import { addressLine, arrivalWindow } from '../domain/delivery.js';
import type { OrderView } from '../services/orders/order-types.js';
import type { fulfillmentSchema } from './output-schemas.js';
import { money } from './present-money.js';

type FulfillmentOut = z.infer<typeof fulfillmentSchema>;

const ELSEWHERE = 'To deliver elsewhere, send delivery_address with update_order.';

/** What presenting an order's fulfillment needs besides the order. */
export interface FulfillmentContext {
  readonly locale: string;
  readonly formatTime: (instant: Date) => string;
  /** The shop's slot length: a delivery's arrival window is one slot long. */
  readonly slotMinutes: number;
}

/**
 * How the order reaches the customer, for the structured result: pickup (when: the order's `pickup`),
 * or delivery with the address, the fee and, once placed, when it arrives. `note` says what `reorder`
 * chose.
 */
export function fulfillmentResult(
  view: OrderView,
  pickupDisplay: string,
  ctx: FulfillmentContext,
): FulfillmentOut {
  const { order, priced } = view;
  const note = view.fulfillmentNote === undefined ? {} : { note: view.fulfillmentNote };
  const f = order.fulfillment;
  if (f.type === 'pickup') {
    // reorder's note on a pickup says why it is no delivery; how to deliver elsewhere is in the tools' words.
    const why = view.fulfillmentNote === undefined ? {} : { note: `${view.fulfillmentNote} ${ELSEWHERE}` };
    return { type: f.type, display: `Pickup ${pickupDisplay}`, ...why };
  }
  const a = f.address;
  const recipient = a.name.trim() === '' ? order.customerName : a.name;
  const window = arrivalWindow(f, order.pickupSlot, ctx.slotMinutes);
  return {
    type: f.type,
    display: `Delivery to ${addressLine(a)}`,
    address: {
      ...(recipient === undefined ? {} : { recipient }),
      street: a.line1,
      ...(a.line2 === undefined ? {} : { line2: a.line2 }),
      city: a.city,
      postal_code: a.postalCode,
    },
    fee: money(priced.totals.delivery ?? 0, priced.currency, ctx.locale),
    lead_minutes: f.leadMinutes,
    ...(window === undefined
      ? {}
      : {
          arrival_window: {
            start: window.start.toISOString(),
            end: window.end.toISOString(),
            display: `around ${ctx.formatTime(window.start)}`,
          },
        }),
    ...note,
  };
}

/** The order's "Pickup: …" or "Delivery to … · fee $3.99" line, and reorder's note when there is one. */
export function fulfillmentText(
  f: FulfillmentOut | undefined,
  pickupDisplay: string,
  customerName: string | undefined,
): string[] {
  const forWhom = customerName === undefined ? '' : ` · for ${customerName}`;
  if (f === undefined || f.type === 'pickup' || f.fee === undefined) {
    return [`Pickup: ${pickupDisplay}${forWhom}`, ...(f?.note === undefined ? [] : [`Note: ${f.note}`])];
  }
  const arrives = f.arrival_window === undefined ? '' : ` · arrives ${f.arrival_window.display}`;
  return [
    `${f.display} · fee ${f.fee.display}${arrives}${forWhom}`,
    ...(f.note === undefined ? [] : [`Note: ${f.note}`]),
  ];
}
