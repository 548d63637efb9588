/** E.164: a plus, a country code not starting with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

const PUNCTUATION = /[\s().-]/g;

/** Drops the spaces, dashes, dots and brackets people type; E.164 has none of them. */
export function withoutPhonePunctuation(text: string): string {
  return text.replace(PUNCTUATION, '');
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
