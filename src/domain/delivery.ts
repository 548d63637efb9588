import type { DeliverySettings } from './shop-settings.js';

/** Where a delivery goes, as the customer gave it (ACP `Address`, plus a phone for the driver). */
export interface DeliveryAddress {
  /** Who receives it. */
  readonly name: string;
  readonly line1: string;
  readonly line2?: string | undefined;
  readonly city: string;
  /** State or province, as sent; may be empty. */
  readonly region: string;
  /** ISO 3166-1 alpha-2, as sent; may be empty. */
  readonly country: string;
  readonly postalCode: string;
  readonly phone?: string | undefined;
}

/** How an order reaches the customer: collected at the counter, or delivered to an address. */
export type OrderFulfillment =
  | { readonly type: 'pickup' }
  | {
      readonly type: 'delivery';
      readonly address: DeliveryAddress;
      /** The trip's minutes when the order was placed: the window starts that long after the kitchen slot. */
      readonly leadMinutes: number;
    };

/** The fulfillment of every order that says nothing else (MCP orders, orders from before delivery). */
export const PICKUP: OrderFulfillment = { type: 'pickup' };

const MINUTE_MS = 60_000;

/** A postal code as shops and customers write them: `10001`, `SW1A 1AA`, `H2X-1Y4`. */
export const POSTAL_CODE = /^[A-Za-z0-9](?:[A-Za-z0-9 -]{0,10}[A-Za-z0-9])?$/;

/** A postal code as compared: capitals, no spaces (`sw1a 1aa` and `SW1A1AA` are one code). */
export function normalizePostalCode(code: string): string {
  return code.toUpperCase().replace(/\s+/g, '');
}

/** Whether the shop delivers to `postalCode`; a ZIP+4 (`10001-1234`) counts as its ZIP. */
export function deliversTo(settings: Pick<DeliverySettings, 'postalCodes'>, postalCode: string): boolean {
  const code = normalizePostalCode(postalCode);
  if (code === '') return false;
  const zip = /^(\d{5})-\d{4}$/.exec(code)?.[1];
  return settings.postalCodes.some((served) => {
    const area = normalizePostalCode(served);
    return area === code || area === zip;
  });
}

/**
 * When a delivery arrives: it leaves once the kitchen's slot starts, and takes `leadMinutes` more;
 * the window is one slot long.
 */
export function deliveryWindow(
  kitchenReady: Date,
  leadMinutes: number,
  slotMinutes: number,
): { readonly start: Date; readonly end: Date } {
  const start = new Date(kitchenReady.getTime() + leadMinutes * MINUTE_MS);
  return { start, end: new Date(start.getTime() + Math.max(1, slotMinutes) * MINUTE_MS) };
}

/** The address on one line, for pages and messages: `12 Oak St, Apt 4, 10001 Springfield`. */
export function addressLine(address: DeliveryAddress): string {
  return [address.line1, address.line2, `${address.postalCode} ${address.city}`]
    .map((part) => part?.trim() ?? '')
    .filter((part) => part !== '')
    .join(', ');
}

/** When a placed delivery arrives: undefined for a pickup, or before the kitchen slot is booked. */
export function arrivalWindow(
  fulfillment: OrderFulfillment,
  kitchenSlot: Date | undefined,
  slotMinutes: number,
): { readonly start: Date; readonly end: Date } | undefined {
  if (fulfillment.type !== 'delivery' || kitchenSlot === undefined) return undefined;
  return deliveryWindow(kitchenSlot, fulfillment.leadMinutes, slotMinutes);
}
