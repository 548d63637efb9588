import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { phoneProblemText, readPhone } from '../domain/phone.js';

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
