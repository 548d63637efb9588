import type { CallToolResult } from '@modelcontextprotocol/server';
import { AppError } from '../domain/app-error.js';
import type { Logger } from '../platform/logger.js';

/** A successful tool result: text for any chat, the same facts as structuredContent. */
export function ok(
  text: string,
  structured: Record<string, unknown>,
  meta?: Record<string, unknown>,
): CallToolResult {
  return {
    content: [{ type: 'text', text }],
    structuredContent: structured,
    ...(meta === undefined ? {} : { _meta: meta }),
  };
}

/** `_meta` key of a tool error's AppError code: what the audit records, read without parsing text. */
export const ERROR_CODE_META = 'counterpi/error_code';

/**
 * A tool error a model can act on: the rule's message, each violation with where it is and what to
 * do, and the error code. Unexpected errors are logged and answered without their details.
 */
export function toolError(error: unknown, log: Logger): CallToolResult {
  if (!(error instanceof AppError)) {
    log.error({ err: error }, 'tool failed');
    return {
      isError: true,
      _meta: { [ERROR_CODE_META]: 'internal' },
      content: [
        {
          type: 'text',
          text: 'Something went wrong on the shop’s side; nothing was changed. Please try again.',
        },
      ],
    };
  }
  const details = error.violations
    .filter((v) => v.message !== error.message || v.suggestion !== undefined)
    .map(
      (v) =>
        `- ${v.path === undefined ? '' : `${v.path}: `}${v.message}${v.suggestion === undefined ? '' : ` ${v.suggestion}`}`,
    );
  const retry =
    error.retryAfter === undefined
      ? []
      : [`Retry after ${error.retryAfter} s with the same idempotency_key.`];
  return {
    isError: true,
    _meta: { [ERROR_CODE_META]: error.code },
    content: [
      { type: 'text', text: [error.message, ...details, ...retry, `(error code: ${error.code})`].join('\n') },
    ],
  };
}
