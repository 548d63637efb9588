/** Every error code the product can answer with. One place maps them to HTTP, ACP and MCP. */
export type ErrorCode =
  | 'invalid_input'
  // A request field of the wrong shape, where a spec names this code (ACP affiliate attribution RFC §6.1).
  | 'invalid_type'
  // Personal data where a spec forbids it (ACP affiliate attribution RFC §6.2, §7.4).
  | 'pii_not_allowed'
  | 'not_found'
  | 'method_not_allowed'
  | 'item_not_found'
  | 'item_sold_out'
  | 'item_unavailable_now'
  | 'option_not_found'
  | 'option_not_allowed'
  | 'option_sold_out'
  | 'modifier_min'
  | 'modifier_max'
  | 'quantity_limit'
  | 'note_too_long'
  | 'order_empty'
  | 'order_invalid'
  | 'order_not_found'
  | 'order_exists'
  | 'order_not_editable'
  | 'customer_details_missing'
  | 'shop_closed'
  | 'pickup_in_past'
  | 'pickup_too_soon'
  | 'pickup_outside_hours'
  | 'pickup_too_far'
  | 'pickup_slot_full'
  | 'delivery_unavailable'
  | 'delivery_address_missing'
  | 'delivery_out_of_area'
  | 'delivery_minimum'
  // A promo code that does not apply (details.reason: expired, already_used, minimum_not_met …).
  | 'promo_code_refused'
  // An ACP checkout's total moved between the session's answer and its order's placing (offer hours …).
  | 'price_changed'
  | 'invalid_transition'
  | 'payment_declined'
  | 'idempotency_conflict'
  | 'idempotency_in_flight'
  | 'menu_import_invalid'
  | 'payload_too_large'
  | 'store_corrupt'
  | 'store_too_new'
  | 'storage_full'
  | 'store_missing'
  | 'clock_not_set'
  | 'internal';

/** One broken rule, with where it was broken and what would fix it. */
export interface Violation {
  readonly code: ErrorCode;
  readonly message: string;
  /** Where the problem is, as a dotted path into the request (`lines.0.options`). */
  readonly path?: string;
  /** A hint a person or a model can act on ("opens at 07:00", "try Veggie Burger"). */
  readonly suggestion?: string;
}

export interface AppErrorOptions {
  readonly cause?: unknown;
  readonly violations?: readonly Violation[];
  /** Seconds after which a retry makes sense (idempotency_in_flight, rate limits). */
  readonly retryAfter?: number;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The one error type of counterpi: a typed `code`, a message a person understands, and what caused it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly violations: readonly Violation[];
  readonly retryAfter: number | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.violations = options.violations ?? [];
    this.retryAfter = options.retryAfter;
    this.details = options.details ?? {};
  }

  /** An error carrying every violation; its code and message are the first one's. */
  static fromViolations(violations: readonly Violation[]): AppError {
    const [first] = violations;
    if (first === undefined) return new AppError('internal', 'fromViolations called without violations');
    return new AppError(violations.length === 1 ? first.code : 'order_invalid', first.message, {
      violations,
    });
  }
}

/**
 * True for the shop's own trouble (a bug, a full disk, a damaged store, a clock not set yet) rather than a broken rule: such
 * an error is never kept as a request's answer, since the same request may well succeed later.
 */
export function isShopFault(error: AppError): boolean {
  return ['internal', 'storage_full', 'store_corrupt', 'store_too_new', 'clock_not_set'].includes(error.code);
}

/** True for an AppError with the given code (any code when omitted). */
export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
