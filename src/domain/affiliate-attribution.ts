/**
 * An ACP affiliate attribution claim (affiliate attribution RFC §4.2.2, `AffiliateAttribution` of
 * schema.agentic_checkout.json), as accepted: the provider, a token or a publisher id, and the optional
 * provider-scoped fields. Write-only: kept for reconciliation, never shown in an ACP answer (RFC §4.3.4).
 */
export interface AffiliateAttribution {
  readonly provider: string;
  /** A provider-issued secret: never logged (RFC §7.1). */
  readonly token?: string | undefined;
  readonly publisher_id?: string | undefined;
  readonly campaign_id?: string | undefined;
  readonly creative_id?: string | undefined;
  readonly sub_id?: string | undefined;
  readonly touchpoint?: 'first' | 'last' | undefined;
  readonly source?: { readonly type: 'url' | 'platform' | 'unknown'; readonly url?: string | undefined };
  readonly issued_at?: string | undefined;
  readonly expires_at?: string | undefined;
  /** Flat: strings, numbers and booleans only (RFC §4.2.2). */
  readonly metadata?: Readonly<Record<string, string | number | boolean>> | undefined;
}

/** Which touch a claim records: at session creation (first) or at completion (last), RFC §4.3.1–4.3.2. */
export type AttributionTouch = 'first' | 'last';

/**
 * Field names that hold personal data (RFC §6.2: "known PII field names (e.g., `email`, `phone`, `ssn`,
 * `address`)"), matched as a word of the key: `user_email`, `billingAddress`, `Phone-Number`.
 */
const PII_WORDS = new Set([
  'email',
  'mail',
  'phone',
  'telephone',
  'mobile',
  'msisdn',
  'ssn',
  'address',
  'street',
  'zip',
  'zipcode',
  'postcode',
  'birthday',
  'birthdate',
  'dob',
  'passport',
  'firstname',
  'lastname',
  'fullname',
  'ip',
  'fingerprint',
]);

/** An address anywhere in the text: `ada@example.com`, also inside a URL's query. */
const EMAIL = /[^\s@/?&=:;,]+@[^\s@/?&=:;,]+\.[a-z]{2,}/i;
/**
 * A phone number standing on its own: 10 to 15 digits with the usual separators, not inside a longer
 * word (`pub_1234567890` is an id, `u1=15552003434` is a number). The RFC prefers false positives to
 * leaking PII (§6.2).
 */
const PHONE = /(?<![\w.])\+?(?:\(\d+\)|\d)(?:[\s().-]{0,2}\d){9,14}(?![\w])/;

/** The words of a key: `userEmail`, `user_email`, `User-Email` → user, email. */
function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** Dates and times (`2025-12-17`, `2025-12-17 10:30`): digits, but no phone number. */
const DATE = /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?/g;

function piiText(text: string): boolean {
  return EMAIL.test(text) || PHONE.test(text.replace(DATE, ' '));
}

/** Whether a metadata key names personal data: a PII word, or two words that make one (`e_mail`). */
export function isPiiKey(key: string): boolean {
  const words = wordsOf(key);
  return words.some((w, i) => PII_WORDS.has(w) || PII_WORDS.has(w + (words[i + 1] ?? '')));
}

/**
 * Where a claim holds obvious personal data (RFC §7.4: "MUST NOT contain user PII"; §6.2: emails, phone
 * numbers, known PII field names), as the keys leading to it (`['metadata', 'user_email']`), or undefined.
 */
export function piiPath(claim: AffiliateAttribution): readonly string[] | undefined {
  const fields: [string[], string | undefined][] = [
    [['provider'], claim.provider],
    [['token'], claim.token],
    [['publisher_id'], claim.publisher_id],
    [['campaign_id'], claim.campaign_id],
    [['creative_id'], claim.creative_id],
    [['sub_id'], claim.sub_id],
    [['source', 'url'], claim.source?.url],
  ];
  for (const [path, value] of fields) if (value !== undefined && piiText(value)) return path;
  for (const [key, value] of Object.entries(claim.metadata ?? {})) {
    if (isPiiKey(key) || (typeof value === 'string' && piiText(value))) return ['metadata', key];
  }
  return undefined;
}
