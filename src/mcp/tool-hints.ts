import { AppError, type ErrorCode } from '../domain/app-error.js';

/** What to set next, in the ordering tools' words, for a broken rule the services name by field. */
const SUGGESTIONS: Partial<Record<ErrorCode, string>> = {
  customer_details_missing:
    'Ask the customer for their name and set it with update_order (customer_name), then place the order again.',
};

/**
 * The services say what is wrong and which field to fix; which tool to call next is this surface's to
 * say. Returns the error with that said, for the errors whose remedy is another tool; others as they are.
 */
export function inToolWords(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  const next = nextCall(error);
  const violations = error.violations.map((v) => {
    const suggestion = SUGGESTIONS[v.code];
    return suggestion === undefined ? v : { ...v, suggestion };
  });
  if (next === undefined && violations.every((v, i) => v === error.violations[i])) return error;
  return new AppError(error.code, next === undefined ? error.message : `${error.message} ${next}`, {
    cause: error.cause,
    violations,
    retryAfter: error.retryAfter,
    details: error.details,
  });
}

function nextCall(error: AppError): string | undefined {
  const orderId = error.details.order_id;
  if (typeof orderId !== 'string') return undefined;
  if (error.code === 'order_exists')
    return `Change it with update_order (order_id "${orderId}") or cancel it with cancel_order first.`;
  // An order asked for by id that is not the customer's: their own are a call away.
  if (error.code === 'order_not_found') return 'Call get_order_status to list your orders.';
  return undefined;
}
