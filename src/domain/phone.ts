import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

/** E.164: a plus, a country code not starting with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

const PUNCTUATION = /[\s().-]/g;

/** Drops the spaces, dashes, dots and brackets people type; E.164 has none of them. */
export function withoutPhonePunctuation(text: string): string {
  return text.replace(PUNCTUATION, '');
}

/** Why a typed number is not one: nothing typed, not a number at all, or one no phone can have. */
export type PhoneProblem = 'missing' | 'not_a_number' | 'impossible';

/** A typed phone number read as E.164, or why it cannot be. */
export type PhoneReading = { readonly e164: string } | { readonly problem: PhoneProblem };

/**
 * The country a BCP 47 locale names ("en-US" → "US"; a bare language takes its likeliest region,
 * "fr" → "FR"), when libphonenumber knows its numbering plan; undefined otherwise.
 */
export function countryOfLocale(locale: string): CountryCode | undefined {
  let region: string | undefined;
  try {
    region = new Intl.Locale(locale).maximize().region;
  } catch {
    return undefined;
  }
  return region !== undefined && isSupportedCountry(region) ? region : undefined;
}

/**
 * Reads what a person types, with the shop's country for a national number: "(217) 555-0142" in a US
 * shop is +12175550142, "+44 7700 900123" is itself anywhere. Refuses a number of a length no phone in
 * its country has (libphonenumber's "possible" check): fictional ranges such as 555 still pass, so a
 * test number works, while a digit too few or too many is caught.
 */
export function readPhone(text: string, country?: CountryCode): PhoneReading {
  const typed = text.trim();
  if (typed === '') return { problem: 'missing' };
  if (!/^\+?[\d\s().\-/]+$/.test(typed)) return { problem: 'not_a_number' };
  const parsed = parsePhoneNumberFromString(typed, country);
  if (parsed === undefined || !parsed.isPossible()) return { problem: 'impossible' };
  return { e164: parsed.number };
}

/**
 * A phone number as E.164 ("+1 (555) 123-4567" → "+15551234567"), or undefined when it is not one.
 * `plusOptional`: digits without the plus ("15551234567", as ACP's examples send) get one.
 */
export function toE164(text: string, options: { readonly plusOptional?: boolean } = {}): string | undefined {
  const digits = withoutPhonePunctuation(text);
  const normalized = options.plusOptional === true && !digits.startsWith('+') ? `+${digits}` : digits;
  return E164.test(normalized) ? normalized : undefined;
}

/** The country's name in English ("United States"), for the sentences below. */
function countryName(country: CountryCode): string {
  return new Intl.DisplayNames(['en'], { type: 'region' }).of(country) ?? country;
}

/** What to tell a customer whose number cannot be read, naming the shop's country where there is one. */
export function phoneProblemText(problem: PhoneProblem, country: CountryCode | undefined): string {
  if (problem === 'missing') return 'Please enter your phone number.';
  const international = 'or type it with + and the country code, like +44 20 7946 0958';
  if (problem === 'not_a_number')
    return `A phone number has only digits, spaces and dashes: check it, ${international}.`;
  return country === undefined
    ? 'Enter the phone number with its country code, like +15555550123.'
    : `This number has too few or too many digits for ${countryName(country)}: check it, ${international}.`;
}
