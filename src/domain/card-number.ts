/** Card brands the demo vault tells apart by their issuer identification number (IIN). */
export type CardBrand =
  | 'visa'
  | 'mastercard'
  | 'amex'
  | 'discover'
  | 'diners'
  | 'jcb'
  | 'unionpay'
  | 'maestro';

/** A brand's IIN ranges: inclusive [low, high] over the first `digits` digits of the number. */
interface IinRange {
  readonly brand: CardBrand;
  readonly digits: number;
  readonly low: number;
  readonly high: number;
}

// ISO/IEC 7812 ranges as the networks publish them; the first match wins, so narrower ranges come first.
const IIN_RANGES: readonly IinRange[] = [
  { brand: 'amex', digits: 2, low: 34, high: 34 },
  { brand: 'amex', digits: 2, low: 37, high: 37 },
  { brand: 'jcb', digits: 4, low: 3528, high: 3589 },
  { brand: 'diners', digits: 3, low: 300, high: 305 },
  { brand: 'diners', digits: 2, low: 36, high: 36 },
  { brand: 'diners', digits: 2, low: 38, high: 39 },
  { brand: 'visa', digits: 1, low: 4, high: 4 },
  { brand: 'mastercard', digits: 2, low: 51, high: 55 },
  { brand: 'mastercard', digits: 4, low: 2221, high: 2720 },
  { brand: 'discover', digits: 4, low: 6011, high: 6011 },
  { brand: 'discover', digits: 3, low: 644, high: 649 },
  { brand: 'discover', digits: 2, low: 65, high: 65 },
  { brand: 'unionpay', digits: 2, low: 62, high: 62 },
  { brand: 'maestro', digits: 2, low: 50, high: 50 },
  { brand: 'maestro', digits: 2, low: 56, high: 58 },
  { brand: 'maestro', digits: 2, low: 67, high: 67 },
];

/** What agents write in `display_brand` for each brand, folded to lowercase letters only. */
const BRAND_NAMES: Readonly<Record<CardBrand, readonly string[]>> = {
  visa: ['visa'],
  mastercard: ['mastercard', 'mc', 'master'],
  amex: ['amex', 'americanexpress'],
  discover: ['discover'],
  diners: ['diners', 'dinersclub'],
  jcb: ['jcb'],
  unionpay: ['unionpay', 'chinaunionpay', 'cup'],
  maestro: ['maestro'],
};

/** True for 12 to 19 digits whose Luhn (mod 10) check digit is right: ISO/IEC 7812-1 Annex B. */
export function isLuhnValid(digits: string): boolean {
  if (!/^[0-9]{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The brand a card number (or its IIN, 6 to 8 leading digits) belongs to; undefined when unknown. */
export function brandOfIin(digits: string): CardBrand | undefined {
  for (const range of IIN_RANGES) {
    if (digits.length < range.digits) continue;
    const prefix = Number(digits.slice(0, range.digits));
    if (prefix >= range.low && prefix <= range.high) return range.brand;
  }
  return undefined;
}

/** The brand an agent's `display_brand` names ("Visa", "American Express", "MC"); undefined when unknown. */
export function brandOfName(name: string): CardBrand | undefined {
  const folded = name.toLowerCase().replace(/[^a-z]/g, '');
  for (const [brand, names] of Object.entries(BRAND_NAMES)) {
    if (names.includes(folded)) return brand as CardBrand;
  }
  return undefined;
}

/** How many CVC digits a brand prints: four on American Express, three elsewhere; undefined when unknown. */
export function cvcLength(brand: CardBrand | undefined): number | undefined {
  if (brand === undefined) return undefined;
  return brand === 'amex' ? 4 : 3;
}

/** True once the expiry month has passed (UTC): a card is good through the last day of that month. */
export function isCardExpired(expMonth: number, expYear: number, now: Date): boolean {
  return expYear * 12 + expMonth < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
}
