import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { type PhoneProblem, readPhone } from '../domain/phone.js';

const nameSchema = z
  .string()
  .trim()
  .min(1, 'Please enter your name.')
  .max(80, 'Please keep your name under 80 characters.');

/** A valid first sign-in: the phone number as E.164. */
export interface SignIn {
  readonly name: string;
  readonly phone: string;
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

/**
 * Validates the posted sign-in form; `country` (the shop's) reads a number typed without a country
 * code. Errors are sentences a customer can act on.
 */
export function parseSignIn(
  form: Record<string, unknown>,
  country: CountryCode | undefined,
): { ok: true; value: SignIn } | { ok: false; errors: string[] } {
  const name = nameSchema.safeParse(String(form.name ?? ''));
  const phone = readPhone(String(form.phone ?? ''), country);
  const errors = [
    ...(name.success ? [] : name.error.issues.map((issue) => issue.message)),
    ...('problem' in phone ? [phoneProblemText(phone.problem, country)] : []),
  ];
  if (!name.success || 'problem' in phone) return { ok: false, errors };
  return { ok: true, value: { name: name.data, phone: phone.e164 } };
}
