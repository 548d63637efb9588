import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../domain/app-error.js';
import type { Logger } from '../platform/logger.js';
import { errorBody, statusForCode } from './error-response.js';
import { DEFAULT_MAX_BODY_BYTES } from './read-body.js';
import { requestHeaders } from './request-headers.js';

const SLOW_REQUEST_MS = 1000;

/** One component's answer to "can you serve?" for `/ready`. */
export interface ReadinessCheck {
  readonly name: string;
  /** `ok: false` on a required check makes `/ready` answer 503; optional ones only report. */
  check(): { readonly ok: boolean; readonly detail: string };
  readonly required: boolean;
}

export interface HttpAppDeps {
  readonly log: Logger;
  readonly readiness: readonly ReadinessCheck[];
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes?: number;
  /**
   * Path prefixes whose chunked bodies are not counted here: routes handed to a Node handler that reads
   * the raw stream and limits it itself (the authorization server). Declared lengths are still checked.
   */
  readonly streamedBodyPrefixes?: readonly string[];
}

/** Variables each request carries through the middleware chain. */
export interface AppEnv {
  Variables: { requestId: string };
}

/**
 * Headers on every answer (what hono/secure-headers would send for this app): HSTS, no sniffing, no
 * framing by other sites, no referrer, same-origin opener and resources. A handler may override one.
 */
const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'SAMEORIGIN'],
];

/** A request id a client (or the tunnel) sent is kept when it is short and plain; else a new one. */
const CLIENT_REQUEST_ID = /^[\w\-=]{1,255}$/;

/**
 * New request ids: a random prefix per process and a counter, unique across restarts and cheaper than a
 * UUID on every request. They name requests in logs and error bodies; nothing relies on guessing them.
 */
function requestIds(): () => string {
  const prefix = `${randomBytes(6).toString('base64url')}-`;
  let counter = 0;
  return () => {
    counter += 1;
    return prefix + counter.toString(36);
  };
}

/** Node's response under @hono/node-server; undefined under app.request() in tests. */
function nodeResponse(c: Context): ServerResponse | undefined {
  return (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
}

/** The Hono app with the cross-cutting parts: request ids, logs, security headers, body limit, errors. */
export function createHttpApp(deps: HttpAppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const log = deps.log.child({ module: 'http' });

  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const tooLarge = (c: Context<AppEnv>) =>
    c.json(
      errorBody(
        'payload_too_large',
        `The request body is larger than ${maxBodyBytes} bytes.`,
        c.get('requestId'),
      ),
      statusForCode('payload_too_large'),
    );
  const limitStream = bodyLimit({ maxSize: maxBodyBytes, onError: tooLarge });
  const newRequestId = requestIds();
  const streamed = deps.streamedBodyPrefixes ?? [];

  app.use(async (c, next) => {
    const started = performance.now();
    const sent = requestHeaders(c)('x-request-id');
    const id = sent !== undefined && CLIENT_REQUEST_ID.test(sent) ? sent : newRequestId();
    c.set('requestId', id);
    // Under Node the standard headers go straight onto the socket's response, merged by writeHead with
    // whatever the handler answers: no web Headers object is built for them on the hot path.
    const outgoing = nodeResponse(c);
    if (outgoing !== undefined) {
      for (const [name, value] of SECURITY_HEADERS) outgoing.setHeader(name, value);
      outgoing.setHeader('X-Request-Id', id);
    }
    await next();
    if (outgoing === undefined) {
      for (const [name, value] of SECURITY_HEADERS)
        if (!c.res.headers.has(name)) c.res.headers.set(name, value);
      c.res.headers.set('X-Request-Id', id);
    }
    const ms = performance.now() - started;
    // Access lines are debug: at info a Pi would wear its SD card out on them. Slow requests always show.
    if (ms > SLOW_REQUEST_MS || log.isLevelEnabled('debug')) {
      log[ms > SLOW_REQUEST_MS ? 'warn' : 'debug'](
        { req_id: id, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(ms) },
        'request',
      );
    }
  });
  app.use(async (c, next) => {
    // GET and HEAD carry no body: skip the limit, which would otherwise build a full Request on every call.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const declared = Number(requestHeaders(c)('content-length') ?? Number.NaN);
    if (declared > maxBodyBytes) return tooLarge(c);
    // Node's HTTP parser never reads past Content-Length, so only chunked bodies need counting as they stream.
    if (declared >= 0) return next();
    // Counting would read the Node stream into a web Request and leave nothing for that handler.
    if (streamed.some((prefix) => c.req.path.startsWith(prefix))) return next();
    return limitStream(c, next);
  });

  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', (c) => {
    const components = deps.readiness.map((r) => ({ name: r.name, required: r.required, ...safeCheck(r) }));
    const ready = components.every((component) => component.ok || !component.required);
    return c.json({ status: ready ? 'ready' : 'not_ready', components }, ready ? 200 : 503);
  });

  app.notFound((c) =>
    c.json(errorBody('not_found', `Nothing here: ${c.req.method} ${c.req.path}`, c.get('requestId')), 404),
  );
  app.onError((error, c) => {
    const id = c.get('requestId');
    if (error instanceof AppError) {
      if (error.retryAfter !== undefined) c.header('Retry-After', String(error.retryAfter));
      return c.json(errorBody(error.code, error.message, id, error.violations), statusForCode(error.code));
    }
    log.error({ req_id: id, err: error }, 'unhandled error');
    return c.json(errorBody('internal', 'Something went wrong on our side. Please try again.', id), 500);
  });
  return app;
}

function safeCheck(r: ReadinessCheck): { ok: boolean; detail: string } {
  try {
    return r.check();
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : 'check failed' };
  }
}
