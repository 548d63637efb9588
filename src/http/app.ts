import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { AppError } from '../domain/app-error.js';
import type { Logger } from '../platform/logger.js';
import { errorBody, statusForCode } from './error-response.js';

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
}

/** Variables each request carries through the middleware chain. */
export interface AppEnv {
  Variables: { requestId: string; log: Logger };
}

/** The Hono app with the cross-cutting parts: request ids, logs, security headers, body limit, errors. */
export function createHttpApp(deps: HttpAppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const log = deps.log.child({ module: 'http' });

  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(async (c, next) => {
    const started = performance.now();
    const reqLog = log.child({ req_id: c.get('requestId') });
    c.set('log', reqLog);
    await next();
    reqLog.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
  app.use(secureHeaders({ crossOriginResourcePolicy: 'same-origin', referrerPolicy: 'no-referrer' }));
  app.use(
    bodyLimit({
      maxSize: deps.maxBodyBytes ?? 256 * 1024,
      onError: (c) =>
        c.json(
          errorBody('payload_too_large', 'The request body is too large.', c.get('requestId')),
          statusForCode('payload_too_large'),
        ),
    }),
  );

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
    (c.get('log') ?? log).error({ err: error }, 'unhandled error');
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
