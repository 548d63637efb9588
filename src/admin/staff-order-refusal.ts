import type { AppError, Violation } from '../domain/app-error.js';
import { FORM_ERROR } from './form-fields.js';

/** What the order screen shows for a refused step: problems by field, and the violations behind them. */
export interface Refusal {
  readonly errors: Readonly<Record<string, string>>;
  readonly violations: readonly Violation[];
}

/** Where a violation's path points on the form. */
function fieldOf(v: Violation): string {
  if (v.path === 'customer_name') return 'customer_name';
  if (v.path === 'pickupTime' || v.path === 'pickup_time') return 'pickup';
  return FORM_ERROR;
}

/** A line's index from a path such as `lines[l3].options` (lines are numbered l1, l2 … in order). */
export function lineOf(v: Violation): number | undefined {
  const match = /^lines\[l(\d+)\]/.exec(v.path ?? '');
  return match === null ? undefined : Number(match[1]) - 1;
}

/** One message for the whole form. */
export function refusal(message: string): Refusal {
  return { errors: { [FORM_ERROR]: message }, violations: [] };
}

/** A refused order's problems by field; the form-wide ones as one message per line. */
export function refusedBy(error: AppError): Refusal {
  const violations =
    error.violations.length > 0 ? error.violations : [{ code: error.code, message: error.message }];
  const errors: Record<string, string> = {};
  const general: string[] = [];
  for (const v of violations) {
    const field = fieldOf(v);
    const text = v.suggestion === undefined ? v.message : `${v.message} ${v.suggestion}`;
    if (field !== FORM_ERROR) errors[field] = text;
    if (lineOf(v) === undefined) general.push(text);
  }
  if (error.code === 'idempotency_conflict')
    general.splice(
      0,
      general.length,
      'This form was already used for another order. Check the order below and place it again.',
    );
  return { errors: { ...errors, [FORM_ERROR]: ['Nothing was ordered.', ...general].join('\n') }, violations };
}
