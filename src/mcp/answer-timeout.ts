import { ProtocolErrorCode } from '@modelcontextprotocol/server';
import { jsonRpcError } from '../http/mcp-transport.js';
import type { PlainAnswer } from '../http/request-frame.js';

/**
 * How long a handler on /mcp may take to answer one request before the caller gets an error instead.
 * Tools answer in milliseconds (none waits on the network); this only ends a wait nothing would ever
 * end, so a socket is never held open by a request the server dropped.
 */
export const MCP_ANSWER_TIMEOUT_MS = 10_000;

/** What a request gets that no handler answered in time; a tool call may still complete after it. */
export const LATE_ANSWER: PlainAnswer = jsonRpcError(
  503,
  ProtocolErrorCode.InternalError,
  `Internal error: no answer within ${MCP_ANSWER_TIMEOUT_MS / 1000} s. A call with an idempotency_key may be retried with the same key.`,
);

/** What `work` gives, or what `late()` gives once `ms` have passed without it. */
export function answerWithin<T>(work: Promise<T>, ms: number, late: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      try {
        resolve(late());
      } catch (error) {
        reject(error);
      }
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
