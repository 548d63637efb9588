import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode, Violation } from '../domain/app-error.js';

/** The HTTP status for each error code: the one place that decides it. */
export function statusForCode(code: ErrorCode): ContentfulStatusCode {
  switch (code) {
    case 'invalid_input':
    case 'menu_import_invalid':
      return 400;
    case 'not_found':
    case 'item_not_found':
    case 'order_not_found':
      return 404;
    case 'invalid_transition':
    case 'idempotency_in_flight':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'store_corrupt':
    case 'store_too_new':
    case 'storage_full':
    case 'store_missing':
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
