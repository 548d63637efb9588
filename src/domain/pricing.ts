import { AppError } from './app-error.js';
import type { MenuItem, ModifierOption } from './catalog.js';
import type { FeeSettings, TaxRate, TaxSettings } from './shop-settings.js';

/** One line to price: the item, its resolved options and the tax rate its category uses. */
export interface PricingLine {
  readonly item: MenuItem;
  /** The category's tax rate id; undefined uses the shop's default rate. */
  readonly taxRateId: string | undefined;
  readonly quantity: number;
  readonly options: readonly ModifierOption[];
  readonly note?: string | undefined;
}

/** The customer's tip: none, a percent of the subtotal, or an amount in minor units. */
export type TipChoice =
  | { readonly kind: 'none' }
  | { readonly kind: 'percent'; readonly percent: number }
  | { readonly kind: 'amount'; readonly amount: number };

export interface PricingInput {
  readonly lines: readonly PricingLine[];
  readonly tax: TaxSettings;
  readonly fees: FeeSettings;
  readonly tip: TipChoice;
  readonly currency: string;
  /** The delivery fee in minor units; undefined when the order is picked up. */
  readonly deliveryFee?: number | undefined;
}

export interface PricedLine {
  readonly itemId: string;
  readonly name: string;
  readonly quantity: number;
  readonly options: readonly { readonly id: string; readonly name: string; readonly price: number }[];
  readonly note: string | undefined;
  readonly taxRateId: string;
  /** Item price plus every option price, per unit. */
  readonly unitPrice: number;
  readonly lineTotal: number;
}

export interface TaxLine {
  readonly rateId: string;
  readonly name: string;
  readonly percent: number;
  readonly amount: number;
}

export interface OrderTotals {
  /** Sum of line totals before discounts (ACP `items_base_amount`); equal to `subtotal` while there are none. */
  readonly itemsBase: number;
  readonly subtotal: number;
  readonly tax: number;
  readonly taxBreakdown: readonly TaxLine[];
  /** true: `tax` is already inside the prices and not added to the total. */
  readonly taxIncluded: boolean;
  readonly fee: number;
  readonly tip: number;
  /** The delivery fee (ACP `fulfillment` total); absent for pickup and for orders priced before delivery. */
  readonly delivery?: number | undefined;
  readonly total: number;
}

/** An order with every amount in integer minor units of `currency`. */
export interface PricedOrder {
  readonly currency: string;
  readonly lines: readonly PricedLine[];
  readonly totals: OrderTotals;
}

/** Percent with up to three decimals as an integer of thousandths (8.875 → 8875). */
export function toMilliPercent(percent: number): number {
  return Math.round(percent * 1000);
}

/** Integer division rounding half away from zero; exact for safe integers. */
export function divideRounded(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new AppError('internal', `Cannot divide ${numerator} by ${denominator} in integer money math.`);
  }
  const magnitude = Math.abs(numerator);
  const remainder = magnitude % denominator;
  const quotient = (magnitude - remainder) / denominator + (remainder * 2 >= denominator ? 1 : 0);
  return numerator < 0 ? -quotient : quotient;
}

function percentOf(amount: number, percent: number): number {
  return divideRounded(amount * toMilliPercent(percent), 100_000);
}

function findRate(tax: TaxSettings, rateId: string | undefined): TaxRate {
  const id = rateId ?? tax.defaultRateId;
  const rate = tax.rates.find((r) => r.id === id);
  if (rate === undefined) throw new AppError('internal', `Tax rate "${id}" is not in the tax settings.`);
  return rate;
}

function priceLine(line: PricingLine, tax: TaxSettings): PricedLine {
  const unitPrice = line.options.reduce((sum, option) => sum + option.price, line.item.price);
  const lineTotal = unitPrice * line.quantity;
  if (!Number.isSafeInteger(lineTotal)) {
    throw new AppError('internal', `Line "${line.item.name}" does not price to whole minor units.`);
  }
  return {
    itemId: line.item.id,
    name: line.item.name,
    quantity: line.quantity,
    options: line.options.map((o) => ({ id: o.id, name: o.name, price: o.price })),
    note: line.note,
    taxRateId: findRate(tax, line.taxRateId).id,
    unitPrice,
    lineTotal,
  };
}

/** Tax of one rate group: added on top (exclusive) or the part already inside the prices (inclusive). */
function groupTax(base: number, percent: number, inclusive: boolean): number {
  const milli = toMilliPercent(percent);
  if (!inclusive) return divideRounded(base * milli, 100_000);
  return base - divideRounded(base * 100_000, 100_000 + milli);
}

/** Tax per rate group of the lines' amounts (after any discount), rounded once per group. */
export function taxBreakdown(
  lines: readonly Pick<PricedLine, 'taxRateId' | 'lineTotal'>[],
  tax: TaxSettings,
): TaxLine[] {
  const bases = new Map<string, number>();
  for (const line of lines) bases.set(line.taxRateId, (bases.get(line.taxRateId) ?? 0) + line.lineTotal);
  return tax.rates
    .filter((rate) => bases.has(rate.id))
    .map((rate) => ({
      rateId: rate.id,
      name: rate.name,
      percent: rate.percent,
      amount: groupTax(bases.get(rate.id) ?? 0, rate.percent, tax.inclusive),
    }));
}

/** The service fee on an item subtotal. */
export function serviceFee(subtotal: number, fees: FeeSettings): number {
  const fee = fees.serviceFee;
  if (fee.kind === 'percent') return percentOf(subtotal, fee.percent);
  if (fee.kind === 'fixed') return fee.amount;
  return 0;
}

/** Tips only when the shop takes them, and never below zero. */
export function tipAmount(subtotal: number, tip: TipChoice, fees: FeeSettings): number {
  if (!fees.tips.enabled || tip.kind === 'none') return 0;
  const amount = tip.kind === 'percent' ? percentOf(subtotal, tip.percent) : Math.round(tip.amount);
  return Math.max(0, amount);
}

/**
 * Prices an order: per-line amounts, tax per rate group, service fee, tip, delivery fee and total, all in
 * minor units. The service fee and the tip are worked out on the items alone.
 */
export function priceOrder(input: PricingInput): PricedOrder {
  const lines = input.lines.map((line) => priceLine(line, input.tax));
  const itemsBase = lines.reduce((sum, line) => sum + line.lineTotal, 0);
  const subtotal = itemsBase;
  const breakdown = taxBreakdown(lines, input.tax);
  const tax = breakdown.reduce((sum, group) => sum + group.amount, 0);
  const fee = serviceFee(subtotal, input.fees);
  const tip = tipAmount(subtotal, input.tip, input.fees);
  const delivery = input.deliveryFee;
  const total = subtotal + (input.tax.inclusive ? 0 : tax) + fee + tip + (delivery ?? 0);
  return {
    currency: input.currency,
    lines,
    totals: {
      itemsBase,
      subtotal,
      tax,
      taxBreakdown: breakdown,
      taxIncluded: input.tax.inclusive,
      fee,
      tip,
      ...(delivery === undefined ? {} : { delivery }),
      total,
    },
  };
}
