import { POSTAL_CODE } from '../domain/delivery.js';
import { parseDecimalString, toDecimalString } from '../domain/money.js';
import { wholeNumber } from './form-read.js';
import type { SectionForm } from './settings-form.js';

/** An amount typed by the owner ("3.99", "3,99") in minor units, or NaN (the schema says "enter a number"). */
function amount(text: string, currency: string): number {
  return parseDecimalString(text.replace(/^(\s*-?\d+),(\d+\s*)$/, '$1.$2'), currency) ?? Number.NaN;
}

/** The codes as typed: one per line or separated by commas, capitals, each once. */
export function parsePostalCodes(text: string): string[] {
  const codes = text
    .split(/[,;\n\r]+/)
    .map((code) => code.trim().toUpperCase().replace(/\s+/g, ' '))
    .filter(Boolean);
  return [...new Set(codes)];
}

/** The delivery form: on or off, the fee, the minimum, the postal codes served and the trip's minutes. */
export const deliveryForm: SectionForm<'delivery'> = {
  key: 'delivery',
  values: (s) => ({
    enabled: s.delivery.enabled ? 'on' : '',
    feeMinor: toDecimalString(s.delivery.feeMinor, s.profile.currency),
    minimumMinor: toDecimalString(s.delivery.minimumMinor, s.profile.currency),
    postalCodes: s.delivery.postalCodes.join(', '),
    leadMinutes: String(s.delivery.leadMinutes),
  }),
  build(v, s) {
    const currency = s.profile.currency;
    const postalCodes = parsePostalCodes(v.postalCodes ?? '');
    const enabled = v.enabled === 'on';
    const errors: Record<string, string> = {};
    const wrong = postalCodes.find((code) => !POSTAL_CODE.test(code));
    if (wrong !== undefined) {
      errors.postalCodes = `“${wrong.slice(0, 20)}” is not a postal code: use letters, digits, spaces or dashes, and put a comma between two codes.`;
    } else if (enabled && postalCodes.length === 0) {
      errors.postalCodes = 'List at least one postal code you deliver to, or untick “Offer local delivery”.';
    }
    return {
      value: {
        enabled,
        feeMinor: amount(v.feeMinor ?? '', currency),
        minimumMinor: amount(v.minimumMinor ?? '', currency),
        postalCodes,
        leadMinutes: wholeNumber(v.leadMinutes ?? ''),
      },
      errors,
    };
  },
};
