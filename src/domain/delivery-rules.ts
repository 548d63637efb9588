import type { Violation } from './app-error.js';
import { type DeliveryAddress, deliversTo } from './delivery.js';
import { formatMoney } from './money.js';
import type { ShopSettings } from './shop-settings.js';

/** Postal codes named in a message at most; the rest are counted. */
const CODES_NAMED = 10;

/** What each part of an address is, in a sentence: "The delivery address needs the city." */
const WORDS = {
  name: 'who receives it',
  line1: 'the street address',
  city: 'the city',
  postalCode: 'the postal code',
} as const;

/** The address parts a caller requires, each with its path in the caller's request (in this order). */
export interface RequiredAddressParts {
  readonly name?: string;
  readonly line1: string;
  readonly city: string;
  readonly postalCode: string;
}

/**
 * How a surface names the places the delivery rules point at and what it tells the customer to do:
 * ACP checkout sessions (`fulfillment_details.address…`) and the MCP tools (`delivery_address…`) differ.
 */
export interface DeliveryRuleTerms {
  /** Where delivery was chosen: its violation when the shop does not deliver. */
  readonly choicePath: string;
  /** Where the address goes: its violation when there is none. */
  readonly addressPath: string;
  readonly required: RequiredAddressParts;
  /** Where the items are: the minimum's violation. */
  readonly itemsPath: string;
  /** How to pick up instead: "Choose a pickup option instead." */
  readonly pickupHint: string;
  /** How to give the address when there is none. */
  readonly addressHint: string;
  /** How to complete an address with a blank part; no suggestion when omitted. */
  readonly partHint?: string;
}

function listed(codes: readonly string[]): string {
  const named = codes.slice(0, CODES_NAMED).join(', ');
  return codes.length > CODES_NAMED ? `${named} and ${codes.length - CODES_NAMED} more` : named;
}

function addressViolations(
  address: DeliveryAddress,
  settings: Pick<ShopSettings, 'delivery' | 'profile'>,
  terms: DeliveryRuleTerms,
): Violation[] {
  const problems: Violation[] = [];
  for (const part of ['name', 'line1', 'city', 'postalCode'] as const) {
    const path = terms.required[part];
    if (path === undefined || address[part].trim() !== '') continue;
    problems.push({
      code: 'delivery_address_missing',
      message: `The delivery address needs ${WORDS[part]}.`,
      path,
      ...(terms.partHint === undefined ? {} : { suggestion: terms.partHint }),
    });
  }
  if (address.postalCode.trim() !== '' && !deliversTo(settings.delivery, address.postalCode)) {
    problems.push({
      code: 'delivery_out_of_area',
      message: `${settings.profile.name} does not deliver to ${address.postalCode}; it delivers to ${listed(settings.delivery.postalCodes)}.`,
      path: terms.required.postalCode,
      suggestion: terms.pickupHint,
    });
  }
  return problems;
}

/**
 * The rules a delivery must meet, in one place for every surface: the shop delivers, the address is
 * complete, its postal code is served, and the items (before tax and fees) reach the minimum. Returns
 * what is broken, with the caller's paths and hints; empty when the delivery can go.
 */
export function deliveryViolations(input: {
  readonly settings: Pick<ShopSettings, 'delivery' | 'profile'>;
  /** Undefined when the customer gave no address. */
  readonly address: DeliveryAddress | undefined;
  /** The items' subtotal in minor units. */
  readonly itemsSubtotal: number;
  readonly terms: DeliveryRuleTerms;
}): Violation[] {
  const { settings, address, itemsSubtotal, terms } = input;
  const d = settings.delivery;
  if (!d.enabled || d.postalCodes.length === 0) {
    return [
      {
        code: 'delivery_unavailable',
        message: `${settings.profile.name} is not delivering right now.`,
        path: terms.choicePath,
        suggestion: terms.pickupHint,
      },
    ];
  }
  const problems: Violation[] =
    address === undefined
      ? [
          {
            code: 'delivery_address_missing',
            message: 'Delivery needs the address to deliver to.',
            path: terms.addressPath,
            suggestion: terms.addressHint,
          },
        ]
      : addressViolations(address, settings, terms);
  if (itemsSubtotal < d.minimumMinor) {
    const money = (amount: number) => formatMoney(amount, settings.profile.currency, settings.profile.locale);
    problems.push({
      code: 'delivery_minimum',
      message: `Delivery needs an order of at least ${money(d.minimumMinor)} in items; this one has ${money(itemsSubtotal)}.`,
      path: terms.itemsPath,
      suggestion: `Add ${money(d.minimumMinor - itemsSubtotal)} more, or choose pickup.`,
    });
  }
  return problems;
}
