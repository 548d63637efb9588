import { z } from 'zod';
import type { LineInput } from '../services/orders/order-types.js';
import type { PostedForm } from './form-read.js';

/**
 * The order being keyed in, carried in the form itself from step to step (no JavaScript, nothing stored
 * until it is placed): its one-time key, lines, customer, pickup and the search text.
 */
export interface StaffDraft {
  /** The form's one-time key: a double submit or a refresh of the placing answer creates one order. */
  readonly key: string;
  readonly lines: readonly LineInput[];
  readonly name: string;
  readonly phone: string;
  /** "asap" or a slot's ISO instant. */
  readonly pickup: string;
  readonly search: string;
}

/** One line as a hidden field holds it. */
const lineSchema = z.object({
  i: z.string().min(1).max(64),
  q: z.number().int().min(1).max(999),
  o: z.array(z.string().min(1).max(64)).max(20),
  n: z.string().max(500).optional(),
});

const KEY = /^[A-Za-z0-9_-]{8,64}$/;
/** More lines than any order may have: a damaged or hostile form stops here. */
const MAX_LINES = 60;

/** A fresh draft with its new one-time key. */
export function emptyDraft(key: string): StaffDraft {
  return { key, lines: [], name: '', phone: '', pickup: 'asap', search: '' };
}

/** The hidden field's value of one line. */
export function lineField(line: LineInput): string {
  return JSON.stringify({ i: line.itemId, q: line.quantity, o: line.optionIds ?? [], n: line.note });
}

function readLine(text: string): LineInput | undefined {
  try {
    const parsed = lineSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    const { i, q, o, n } = parsed.data;
    return { itemId: i, quantity: q, optionIds: o, note: n };
  } catch {
    return undefined;
  }
}

/** The draft a posted form carries; a line that does not read is left out, a bad key replaced. */
export function readDraft(form: PostedForm, newKey: () => string): StaffDraft {
  const key = form.text('key');
  const lines = form
    .all('line')
    .slice(0, MAX_LINES)
    .flatMap((text) => readLine(text) ?? []);
  return {
    key: KEY.test(key) ? key : newKey(),
    lines,
    name: form.text('customer_name').slice(0, 60),
    phone: form.text('customer_phone').slice(0, 40),
    pickup: form.text('pickup').slice(0, 40) || 'asap',
    search: form.text('q').slice(0, 100),
  };
}

/** The line the options step posts: its options, quantity and note. */
export function postedLine(form: PostedForm, itemId: string): LineInput {
  const quantity = /^\d{1,3}$/.test(form.text('quantity')) ? Number(form.text('quantity')) : 1;
  const note = form.text('note').slice(0, 500);
  return {
    itemId,
    quantity: Math.max(1, quantity),
    optionIds: form.all('option').slice(0, 20),
    note: note === '' ? undefined : note,
  };
}
