import type { Context } from 'hono';
import { readFormBody } from '../http/read-form.js';

/** A posted owner form, read by field name: text trimmed, checkboxes, repeated fields, an uploaded file. */
export interface PostedForm {
  /** The field's text, trimmed; '' when absent or a file. */
  text(name: string): string;
  /** Every value of a repeated field (a group of checkboxes), in the order sent. */
  all(name: string): string[];
  /** Whether a checkbox was ticked. */
  checked(name: string): boolean;
  /** The uploaded file's text, or undefined when none was chosen. */
  file(name: string): Promise<string | undefined>;
  /** Every text field by name (the first value of each), trimmed. */
  fields(): Record<string, string>;
  /** The uploaded file's name as the browser sent it (at most 100 characters), or ''. */
  fileName(name: string): string;
}

/** Reads the request's url-encoded or multipart form (the shell parsed it once already for the CSRF check). */
export async function readForm(c: Context): Promise<PostedForm> {
  const body = (await readFormBody(c, { all: true })) as Record<string, unknown>;
  const values = (name: string): unknown[] => {
    const value = body[name];
    return Array.isArray(value) ? value : value === undefined ? [] : [value];
  };
  return {
    text(name) {
      const [first] = values(name);
      return typeof first === 'string' ? first.trim() : '';
    },
    all: (name) => values(name).filter((v): v is string => typeof v === 'string'),
    checked: (name) => values(name).some((v) => v === 'on' || v === 'yes' || v === 'true'),
    async file(name) {
      const [first] = values(name);
      if (!(first instanceof File) || (first.size === 0 && first.name === '')) return undefined;
      return first.text();
    },
    fields() {
      const out: Record<string, string> = {};
      for (const name of Object.keys(body)) {
        const [first] = values(name);
        if (typeof first === 'string') out[name] = first.trim();
      }
      return out;
    },
    fileName(name) {
      const [first] = values(name);
      return first instanceof File ? first.name.slice(0, 100) : '';
    },
  };
}

/** A whole number typed by the owner, or NaN (which the schema reports as "enter a number"). */
export function wholeNumber(text: string): number {
  return /^-?\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
}

/** A decimal typed by the owner ("8.875" or "8,875"), or NaN. */
export function decimalNumber(text: string): number {
  return /^-?\d{1,9}([.,]\d{1,6})?$/.test(text) ? Number(text.replace(',', '.')) : Number.NaN;
}
