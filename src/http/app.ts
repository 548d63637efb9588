import type { ServerResponse } from 'node:http';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppError } from '../domain/app-error.js';
import type { Logger } from '../platform/logger.js';
import { errorBody, statusForCode } from './error-response.js';
import { DEFAULT_MAX_BODY_BYTES } from './read-body.js';
import { createRequestFrame, type RequestFrame, SECURITY_HEADERS } from './request-frame.js';
import { requestHeaders } from './request-headers.js';

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
  /** Known conditions among errors no handler caught (see createRequestFrame). */
  readonly recognise?: (error: unknown) => AppError | undefined;
}

/** Variables each request carries through the middleware chain. */
export interface AppEnv {
  Variables: { requestId: string };
}

/** The app, with the frame its middleware applies: the Node handler for /mcp in front of it applies the same one. */
export type HttpApp = Hono<AppEnv> & { readonly frame: RequestFrame };

/** Node's response under @hono/node-server; undefined under app.request() in tests. */
function nodeResponse(c: Context): ServerResponse | undefined {
  return (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
}

/** The Hono app with the cross-cutting parts: request ids, logs, security headers, body limit, errors. */
export function createHttpApp(deps: HttpAppDeps): HttpApp {
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
  const frame = createRequestFrame({
    log,
    maxBodyBytes,
    ...(deps.recognise === undefined ? {} : { recognise: deps.recognise }),
  });
  const streamed = deps.streamedBodyPrefixes ?? [];

  app.use(async (c, next) => {
    const startedAt = performance.now();
    const id = frame.requestId(requestHeaders(c)('x-request-id'));
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
    frame.finished({ id, method: c.req.method, path: c.req.path, status: c.res.status, startedAt });
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
    const answer = frame.errorAnswer(error, c.get('requestId'));
    return c.body(answer.body, answer.status as ContentfulStatusCode, answer.headers);
  });
  return Object.assign(app, { frame });
}

function safeCheck(r: ReadinessCheck): { ok: boolean; detail: string } {
  try {
    return r.check();
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : 'check failed' };
  }
}
