import type { ErrorCode, Violation } from '../domain/app-error.js';

/** Who reads an error: the shop's own JSON API (the pages, /mcp's HTTP refusals), or an ACP agent. */
export type ErrorDialect = 'counterpi' | 'acp';

/** Every status an error code is answered with. */
export type ErrorStatus = 400 | 402 | 404 | 405 | 409 | 413 | 422 | 500 | 503;

/** The codes ACP answers with another status than the shop's own API; every other code is the same. */
const ACP_STATUS: Partial<Record<ErrorCode, ErrorStatus>> = {
  // ACP checkout §3.1 and §4.3: 404 says the session the URL names is unknown; an unknown item in the
  // body is an invalid request, its `param` pointing at the item (`$.line_items[1].id`).
  item_not_found: 400,
  // A declined card on complete. The OpenAPI's 200 for completeCheckoutSession is
  // CheckoutSessionWithOrder (an order is required), so a decline cannot be a 200 session; it is a 4XX
  // flat Error, as the MCP binding's example `error_payment_declined` models it. 402, not 422: for this
  // operation the OpenAPI gives 422 its own meaning (IdempotencyConflict).
  payment_declined: 402,
};

/** The HTTP status for each error code: the one place that decides it, for HTTP and ACP. */
export function statusForCode(code: ErrorCode, dialect: ErrorDialect = 'counterpi'): ErrorStatus {
  const override = dialect === 'acp' ? ACP_STATUS[code] : undefined;
  if (override !== undefined) return override;
  switch (code) {
    case 'invalid_input':
    case 'invalid_type':
    case 'pii_not_allowed':
    case 'menu_import_invalid':
      return 400;
    case 'not_found':
    case 'item_not_found':
    case 'order_not_found':
      return 404;
    // The path exists, not with this method (RFC 9110 §15.5.6): the answer lists the methods in `Allow`.
    case 'method_not_allowed':
      return 405;
    case 'invalid_transition':
    case 'idempotency_in_flight':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'store_corrupt':
    case 'store_too_new':
    case 'storage_full':
    case 'store_missing':
    // The request was fine; the shop cannot take it until its clock is set (Retry-After says when to try).
    case 'clock_not_set':
      return 503;
    case 'internal':
      return 500;
    default:
      // Every remaining code is a business rule the request broke (sold out, closed, slot full …).
      return 422;
  }
}

/** The JSON body of every non-ACP error: `{ error: { code, message, violations?, request_id } }`. */
export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly violations?: readonly Violation[];
    readonly request_id?: string;
  };
}

/** Builds the error body; violations are left out when there are none. */
export function errorBody(
  code: ErrorCode,
  message: string,
  requestId: string | undefined,
  violations: readonly Violation[] = [],
): ErrorBody {
  return {
    error: {
      code,
      message,
      ...(violations.length > 0 ? { violations } : {}),
      ...(requestId === undefined ? {} : { request_id: requestId }),
    },
  };
}
