/** An amount in integer minor units of an ISO 4217 currency (cents for USD, yen for JPY). */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

const digitsCache = new Map<string, number>();

/** How many minor digits a currency has: 2 for USD/EUR, 0 for JPY, 3 for BHD. */
export function minorDigits(currency: string): number {
  const cached = digitsCache.get(currency);
  if (cached !== undefined) return cached;
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  const result = digits ?? 2;
  digitsCache.set(currency, result);
  return result;
}

/** True when `code` is a currency Intl knows (three letters, upper case). */
export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  return Intl.supportedValuesOf('currency').includes(code);
}

const formatCache = new Map<string, Intl.NumberFormat>();

/** Formats minor units for people: `formatMoney(1840, 'USD')` → "$18.40", `(1200, 'JPY')` → "¥1,200". */
export function formatMoney(amount: number, currency: string, locale = 'en-US'): string {
  const digits = minorDigits(currency);
  const key = `${locale}|${currency}`;
  let format = formatCache.get(key);
  if (format === undefined) {
    // Building an Intl.NumberFormat costs far more than using one: keep one per locale and currency.
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatCache.set(key, format);
  }
  return format.format(amount / 10 ** digits);
}

/** Writes minor units as a plain decimal string ("18.40", "1200") for CSV files. */
export function toDecimalString(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(amount);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const unit = 10 ** digits;
  return `${sign}${Math.trunc(abs / unit)}.${String(abs % unit).padStart(digits, '0')}`;
}

/**
 * Parses a decimal string ("8.5", "8.50", "-1", "1200") into minor units without floating point.
 * Returns undefined when it is not a number or has more decimals than the currency allows.
 */
export function parseDecimalString(text: string, currency: string): number | undefined {
  const match = /^\s*(-?)(\d{1,9})(?:\.(\d+))?\s*$/.exec(text);
  if (match === null) return undefined;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const digits = minorDigits(currency);
  if (fraction.length > digits) return undefined;
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return sign === '-' ? -minor : minor;
}
