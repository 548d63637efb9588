import type { AppError, ErrorCode } from '../domain/app-error.js';
import { statusForCode } from '../http/error-response.js';

/** The ACP flat error (`Error` in the spec): 4xx/5xx answers of every ACP endpoint. */
export interface AcpErrorBody {
  readonly type: 'invalid_request' | 'processing_error' | 'service_unavailable';
  readonly code: string;
  readonly message: string;
  /** RFC 9535 JSONPath into the request (`$.line_items[0].id`). */
  readonly param?: string;
  readonly supported_versions?: readonly string[];
}

/** An ACP error answer: its HTTP status and body, and headers it needs (Retry-After). */
export interface AcpErrorResponse {
  readonly status: 400 | 401 | 402 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 503;
  readonly body: AcpErrorBody;
  readonly headers?: Readonly<Record<string, string>>;
}

export function acpError(
  status: AcpErrorResponse['status'],
  code: string,
  message: string,
  extra: {
    param?: string;
    supported_versions?: readonly string[];
    headers?: Record<string, string>;
    type?: AcpErrorBody['type'];
  } = {},
): AcpErrorResponse {
  const type =
    extra.type ??
    (status >= 500 ? (status === 503 ? 'service_unavailable' : 'processing_error') : 'invalid_request');
  return {
    status,
    body: {
      type,
      code,
      message,
      ...(extra.param === undefined ? {} : { param: extra.param }),
      ...(extra.supported_versions === undefined ? {} : { supported_versions: extra.supported_versions }),
    },
    ...(extra.headers === undefined ? {} : { headers: extra.headers }),
  };
}

/** `lines.0.options` / `line_items.2.id` → `$.line_items[0].options`: paths in the ACP request's terms. */
export function jsonPath(path: string | undefined, renames: Readonly<Record<string, string>> = {}): string {
  if (path === undefined || path === '') return '$';
  const parts = path.split('.').map((part, index) => {
    if (/^\d+$/.test(part)) return `[${part}]`;
    const name = index === 0 ? (renames[part] ?? part) : part;
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `['${name.replaceAll("'", "\\'")}']`;
  });
  return `$${parts.join('')}`;
}

/**
 * Codes ACP types `processing_error` though their status is not 5xx: a full disk, and a declined payment
 * (the MCP binding's example `error_payment_declined` is `type: processing_error`, `code: payment_declined`).
 */
const PROCESSING_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['storage_full', 'payment_declined']);

/**
 * An AppError from a service as an ACP error answer, its status from `statusForCode` (with ACP's
 * overrides beside it); business rules are 422 with their own code.
 */
export function acpErrorFromApp(
  error: AppError,
  renames: Readonly<Record<string, string>> = {},
): AcpErrorResponse {
  const status = statusForCode(error.code, 'acp');
  const [first] = error.violations;
  // A full disk and an unset clock are said as they are, for the agent to retry later; other 5xx stay vague.
  const plain = error.code === 'storage_full' || error.code === 'clock_not_set';
  const message =
    status >= 500 && !plain ? 'Something went wrong on the shop’s side; nothing was changed.' : error.message;
  return acpError(status, error.code === 'invalid_input' ? 'invalid' : error.code, message, {
    ...(PROCESSING_ERRORS.has(error.code) ? { type: 'processing_error' as const } : {}),
    ...(first?.path === undefined ? {} : { param: jsonPath(first.path, renames) }),
    ...(error.retryAfter === undefined ? {} : { headers: { 'Retry-After': String(error.retryAfter) } }),
  });
}
