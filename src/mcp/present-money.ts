import { formatMoney } from '../domain/money.js';

/** Money as tools show it: minor units, currency and a display string. */
export interface MoneyOut {
  readonly amount: number;
  readonly currency: string;
  readonly display: string;
}

/** Builds a money object for structured results. */
export function money(amount: number, currency: string, locale: string): MoneyOut {
  return { amount, currency, display: formatMoney(amount, currency, locale) };
}
