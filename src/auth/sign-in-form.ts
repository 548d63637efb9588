import { z } from 'zod';
import { E164, withoutPhonePunctuation } from '../domain/phone.js';

const signInSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Please enter your name.')
    .max(80, 'Please keep your name under 80 characters.'),
  phone: z
    .string()
    .transform(withoutPhonePunctuation)
    .pipe(
      z
        .string()
        .min(1, 'Please enter your phone number.')
        .regex(E164, 'Enter the phone number with its country code, like +15555550123.'),
    ),
});

/** A valid first sign-in. */
export interface SignIn {
  readonly name: string;
  readonly phone: string;
}

/** Validates the posted sign-in form; errors are sentences a customer can act on. */
export function parseSignIn(
  form: Record<string, unknown>,
): { ok: true; value: SignIn } | { ok: false; errors: string[] } {
  const result = signInSchema.safeParse({ name: String(form.name ?? ''), phone: String(form.phone ?? '') });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: result.error.issues.map((issue) => issue.message) };
}
