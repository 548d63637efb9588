import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { AppError } from '../domain/app-error.js';
import type { Logger } from '../platform/logger.js';
import { errorBody, statusForCode } from './error-response.js';

const SLOW_REQUEST_MS = 1000;

/**
 * Headers on every answer (what hono/secure-headers would send for this app): HSTS, no sniffing, no
 * framing by other sites, no referrer, same-origin opener and resources. A handler may override one.
 */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'SAMEORIGIN'],
];

/** A request id a client (or the tunnel) sent is kept when it is short and plain; else a new one. */
const CLIENT_REQUEST_ID = /^[\w\-=]{1,255}$/;

/** An answer as plain parts, written the same way by a Hono handler or straight to Node's response. */
export interface PlainAnswer {
  readonly status: number;
  /** Besides the frame's own (security headers, request id); these win over those. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * What every request gets wherever it is answered — the Hono app's middleware, or a Node handler that
 * answers its path before the app (src/http/server.ts): its id, the security headers, the error body of an
 * escaped error, the access log line, the body limit. One place, so the two cannot drift apart.
 */
export interface RequestFrame {
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes: number;
  /** The request's id: the one sent in X-Request-Id when short and plain, else a new one. */
  requestId(sent: string | undefined): string;
  /** The answer to an error no handler caught: an AppError's own code, else a logged 500. */
  errorAnswer(error: unknown, requestId: string): PlainAnswer;
  /** The access log: every request at debug (an SD card wears out on them at info), slow ones always. */
  finished(request: {
    readonly id: string;
    readonly method: string | undefined;
    readonly path: string;
    readonly status: number;
    readonly startedAt: number;
  }): void;
}

const JSON_CONTENT = { 'content-type': 'application/json' } as const;

/** Creates the frame of one app: its request ids start from a prefix of their own. */
export function createRequestFrame(deps: {
  readonly log: Logger;
  readonly maxBodyBytes: number;
  /**
   * Names an error no handler caught when it is a known condition rather than a bug (a write refused
   * by a full disk outside the store's transactions): answered as that AppError, without a stack.
   */
  readonly recognise?: (error: unknown) => AppError | undefined;
}): RequestFrame {
  const { log, maxBodyBytes } = deps;
  // A random prefix per process and a counter: unique across restarts and cheaper than a UUID on every
  // request. Ids name requests in logs and error bodies; nothing relies on guessing them.
  const prefix = `${randomBytes(6).toString('base64url')}-`;
  let counter = 0;
  return {
    maxBodyBytes,
    requestId(sent) {
      if (sent !== undefined && CLIENT_REQUEST_ID.test(sent)) return sent;
      counter += 1;
      return prefix + counter.toString(36);
    },
    errorAnswer(caught, requestId) {
      const error = caught instanceof AppError ? caught : (deps.recognise?.(caught) ?? caught);
      if (error instanceof AppError) {
        return {
          status: statusForCode(error.code),
          headers:
            error.retryAfter === undefined
              ? JSON_CONTENT
              : { ...JSON_CONTENT, 'retry-after': String(error.retryAfter) },
          body: JSON.stringify(errorBody(error.code, error.message, requestId, error.violations)),
        };
      }
      log.error({ req_id: requestId, err: error }, 'unhandled error');
      return {
        status: 500,
        headers: JSON_CONTENT,
        body: JSON.stringify(
          errorBody('internal', 'Something went wrong on our side. Please try again.', requestId),
        ),
      };
    },
    finished({ id, method, path, status, startedAt }) {
      const ms = performance.now() - startedAt;
      if (ms > SLOW_REQUEST_MS || log.isLevelEnabled('debug')) {
        log[ms > SLOW_REQUEST_MS ? 'warn' : 'debug'](
          { req_id: id, method, path, status, ms: Math.round(ms) },
          'request',
        );
      }
    },
  };
}

/** The security headers' names by their lower case, to find the one an answer overrides. */
const SECURITY_HEADER_NAMES = new Map(SECURITY_HEADERS.map(([name]) => [name.toLowerCase(), name]));

/**
 * Writes an answer straight to Node's response with the frame's headers (the security headers and
 * X-Request-Id), the ones the answer names winning: the same header set the app's middleware sends.
 */
export function writePlainAnswer(outgoing: ServerResponse, answer: PlainAnswer, requestId: string): void {
  const headers: Record<string, string | number> = {};
  for (const [name, value] of SECURITY_HEADERS) headers[name] = value;
  headers['X-Request-Id'] = requestId;
  for (const [name, value] of Object.entries(answer.headers)) {
    const overridden = SECURITY_HEADER_NAMES.get(name.toLowerCase());
    if (overridden !== undefined) delete headers[overridden];
    headers[name] = value;
  }
  headers['Content-Length'] = Buffer.byteLength(answer.body);
  outgoing.writeHead(answer.status, headers);
  outgoing.end(answer.body);
}
