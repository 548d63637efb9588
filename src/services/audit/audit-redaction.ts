import { hash } from 'node:crypto';
import { canonicalJson } from '../orders/idempotency.js';

/** What a removed secret reads as. */
export const REDACTED = '[redacted]';

/** Longest input summary kept, in characters; the hash covers the whole (redacted) input. */
export const MAX_SUMMARY_LENGTH = 240;

/** Fields whose value is a secret however it looks: dropped to REDACTED. */
const SECRET_KEYS =
  /^(?:idempotency[_-]?key|cvc2?|cvv2?|security[_-]?code|authorization|password|passcode|secret|client[_-]?secret|api[_-]?key|(?:access|refresh|id)[_-]?token|token|cookie)$/i;
/** Fields holding a phone number: only the last four digits stay. */
const PHONE_KEYS = /phone|mobile|msisdn|^tel$/i;
/** Fields holding a card number even when it fails Luhn: only the last four digits stay. */
const CARD_KEYS = /^(?:number|card[_-]?number|pan)$/i;

/**
 * Secrets that show in free text, in the order they are tried at one position: bearer credentials,
 * JWTs, ACP API keys (`cpk_…`), vault token ids (`vt_…`), dates (kept, so they are not taken for
 * phone numbers), then any run of digits with separators — a card number when it has 13–19 digits
 * and passes Luhn, a phone number when it has 7–15.
 */
const SECRET_TEXT =
  /\bbearer\s+[\x21-\x7e]+|\beyJ[\w-]*\.[\w-]+\.[\w-]*|\bcpk_[\w-]+|\bvt_[a-z0-9]+|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?|(?<![\w+])\+?(?:\(\d+\)|\d)[\d ().-]*\d(?!\w)/gi;
const MIGHT_HOLD_SECRET = /[0-9]|bearer|eyJ|cpk_|vt_/i;

/** Luhn (ISO/IEC 7812-1 Annex B): the check digit every payment card number ends with. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** All digits but the last four replaced, separators kept: `+1 (555) 123-4567` → `+* (***) ***-4567`. */
function maskDigits(text: string): string {
  let keep = 4;
  let out = '';
  for (let i = text.length - 1; i >= 0; i -= 1) {
    const ch = text[i] ?? '';
    if (ch >= '0' && ch <= '9' && keep-- <= 0) out = `*${out}`;
    else out = ch + out;
  }
  return out;
}

function cardMask(digits: string): string {
  return `[card …${digits.slice(-4)}]`;
}

function redactMatch(match: string): string {
  const lower = match.slice(0, 4).toLowerCase();
  if (lower === 'bear') return `Bearer ${REDACTED}`;
  if (lower.startsWith('eyj')) return REDACTED;
  if (lower === 'cpk_') return `cpk_${REDACTED}`;
  if (lower.startsWith('vt_')) return `vt_${REDACTED}`;
  if (/^\d{4}-\d{2}-\d{2}/.test(match)) return match;
  const digits = match.replace(/\D/g, '');
  if (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits)) return cardMask(digits);
  if (digits.length >= 7 && digits.length <= 15) return maskDigits(match);
  return match;
}

/** Free text with bearer tokens, JWTs, API keys, vault token ids, card and phone numbers masked. */
export function redactText(text: string): string {
  return MIGHT_HOLD_SECRET.test(text) ? text.replace(SECRET_TEXT, redactMatch) : text;
}

function redactNumber(value: number): number | string {
  if (!Number.isSafeInteger(value) || Math.abs(value) < 1e12) return value;
  const digits = String(Math.abs(value));
  return passesLuhn(digits) ? cardMask(digits) : value;
}

/**
 * Deeper than this, a value is kept as TOO_DEEP: no request counterpi serves nests past a few levels,
 * and a bounded walk can never overflow the stack, whatever a caller hands the audit log.
 */
export const MAX_REDACTED_DEPTH = 32;
export const TOO_DEEP = '[too deep]';
/** What an object found inside itself reads as (only objects built in process can be cyclic). */
export const CYCLE = '[cycle]';

/** One redaction walk: the objects above the current value, and what was cut, if anything. */
interface Walk {
  readonly ancestors: object[];
  cut: string | undefined;
}

function redactField(key: string, value: unknown, walk: Walk): unknown {
  if (value === undefined || value === null) return value;
  if (SECRET_KEYS.test(key)) return REDACTED;
  if (typeof value === 'string' || typeof value === 'number') {
    if (PHONE_KEYS.test(key)) return maskDigits(String(value));
    const digits = String(value).replace(/[\s-]/g, '');
    if (CARD_KEYS.test(key) && /^\d{12,19}$/.test(digits)) return cardMask(digits);
  }
  return redactIn(value, walk);
}

function redactIn(value: unknown, walk: Walk): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'number') return redactNumber(value);
  if (value === null || typeof value !== 'object') return value;
  if (walk.ancestors.includes(value)) {
    walk.cut ??= 'it contains itself';
    return CYCLE;
  }
  if (walk.ancestors.length >= MAX_REDACTED_DEPTH) {
    walk.cut ??= `it is nested deeper than ${MAX_REDACTED_DEPTH} levels`;
    return TOO_DEEP;
  }
  walk.ancestors.push(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactIn(item, walk));
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) out[key] = redactField(key, field, walk);
    return out;
  } finally {
    walk.ancestors.pop();
  }
}

/**
 * A copy of `value` without secrets: secret fields (idempotency keys, CVCs, tokens, passwords) become
 * REDACTED, phone and card fields keep their last four digits, and every string is scrubbed by
 * `redactText`. Numbers of 13–19 digits that pass Luhn count as card numbers too. Objects nested past
 * MAX_REDACTED_DEPTH become TOO_DEEP and an object inside itself CYCLE; `cut` says why when one did.
 */
export function redactValue(value: unknown): { readonly value: unknown; readonly cut: string | undefined } {
  const walk: Walk = { ancestors: [], cut: undefined };
  const redacted = redactIn(value, walk);
  return { value: redacted, cut: walk.cut };
}

/** Lone UTF-16 surrogates would not survive SQLite's UTF-8 unchanged, and the row's hash with them. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Cuts `text` to `max` characters (… marks a cut) without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  const whole = text.replace(LONE_SURROGATE, '\uFFFD');
  if (whole.length <= max) return whole;
  const end = /[\uD800-\uDBFF]/.test(whole[max - 2] ?? '') ? max - 2 : max - 1;
  return `${whole.slice(0, end)}…`;
}

/** C0, DEL and C1 controls: no place in one line of a log. */
const CONTROLS = /\p{Cc}/gu;

/** `text` on one line (controls become spaces), clipped to `max` characters. */
export function oneLine(text: string, max: number): string {
  return clip(text.replace(CONTROLS, ' '), max);
}

/**
 * An input as the audit log keeps it: a short redacted summary and a SHA-256 of the redacted whole;
 * `cut` when part of it was too deep to keep (redactValue). Throws when the input is no JSON value
 * (a BigInt, a getter that throws).
 */
export function summarizeInput(
  input: unknown,
): { summary: string; hash: string; cut: string | undefined } | undefined {
  if (input === undefined) return undefined;
  const redacted = redactValue(input);
  const json = canonicalJson(redacted.value);
  return {
    summary: clip(json, MAX_SUMMARY_LENGTH),
    hash: hash('sha256', json),
    cut: redacted.cut,
  };
}
