import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { AppError, isAppError } from '../domain/app-error.js';
import type { AppEnv } from '../http/app.js';
import { parseJsonBody } from '../http/json-body.js';
import { liveStream } from '../http/live-stream.js';
import { requestHeaders } from '../http/request-headers.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { KitchenBoard } from '../services/kitchen/kitchen-board.js';
import type { BoardView } from '../services/kitchen/kitchen-cards.js';
import type { KitchenDevice, KitchenDevices } from '../services/kitchen/kitchen-devices.js';
import { createAdminCsrf } from './admin-csrf.js';
import { addressOf } from './admin-request.js';
import { readForm } from './form-read.js';
import { DEVICE_COOKIE, setDeviceCookie } from './kitchen-device-cookie.js';
import { SCREEN_CSS, SCREEN_JS } from './kitchen-screen-assets.js';
import { pairingPage, screenPage } from './kitchen-screen-view.js';
import { createLoginGuard, type LoginGuard } from './login-guard.js';
import { ADMIN_CSP } from './mount-admin.js';

/** The header the screen's script sends its CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';
/** Kitchen screens following live at once, at most. */
const MAX_STREAMS = 20;

export interface KitchenScreenDeps {
  readonly board: KitchenBoard;
  readonly devices: KitchenDevices;
  /** A server secret for the screen's CSRF tokens. */
  readonly secret: string;
  readonly publicUrl: string;
  readonly clock: Clock;
  readonly log: Logger;
}

interface ScreenEnv {
  Variables: AppEnv['Variables'] & { device: KitchenDevice; deviceToken: string };
}

/**
 * A POST not sent from another site: the browser's Sec-Fetch-Site says same-origin, and an Origin it
 * names is this host (or PUBLIC_URL's). The pages are no-referrer, so a browser may send `Origin: null`
 * from its own page; Sec-Fetch-Site still tells. A client sending neither is no browser to forge for.
 */
function notCrossSite(c: Context, publicUrl: string): boolean {
  const header = requestHeaders(c);
  const site = header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = header('origin');
  if (origin === undefined || origin === 'null') return true;
  try {
    const host = new URL(origin).host;
    return host === header('host') || host === new URL(publicUrl).host;
  } catch {
    return false;
  }
}

const Station = z.union([z.literal('all'), z.coerce.number().int().min(0)]);
const Key = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const BumpBody = z.object({ key: Key, order_id: z.string().min(1).max(64), station: Station });
const RecallBody = z.object({ key: Key, station: Station });

function stationOf(c: Context): number | 'all' {
  const parsed = Station.safeParse(c.req.query('station') ?? 'all');
  if (!parsed.success) throw new AppError('invalid_input', 'station is a station id or "all".');
  return parsed.data;
}

async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  let value: unknown;
  try {
    value = parseJsonBody(await c.req.text());
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError('invalid_input', 'The body is not JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('invalid_input', 'The body does not name a key and a station.');
  return parsed.data;
}

/** The board with the server's time beside it: the screen counts ages on the server's clock, not its own. */
function withNow(view: BoardView, clock: Clock): string {
  return JSON.stringify({ ...view, now: clock.now().toISOString() });
}

/** Mounts `/kitchen`: the pairing form, the screen, its live stream and its bump and recall. */
export function mountKitchenScreen(app: Hono<AppEnv>, deps: KitchenScreenDeps): void {
  const log = deps.log.child({ module: 'kitchen-screen' });
  const csrf = createAdminCsrf({ secret: deps.secret, publicUrl: deps.publicUrl });
  const router = new Hono<ScreenEnv>();
  router.use('*', async (c, next) => {
    await next();
    c.res.headers.set('Content-Security-Policy', ADMIN_CSP);
    c.res.headers.set('X-Frame-Options', 'DENY');
    if (!c.req.path.startsWith('/kitchen/assets/')) c.res.headers.set('Cache-Control', 'no-store');
  });
  const asset = (body: string, type: string) => () =>
    new Response(body, { headers: { 'content-type': type, 'cache-control': 'public, max-age=300' } });
  router.get('/assets/screen.css', asset(SCREEN_CSS, 'text/css; charset=utf-8'));
  router.get('/assets/screen.js', asset(SCREEN_JS, 'text/javascript; charset=utf-8'));

  router.get('/', async (c) => {
    const token = getCookie(c, DEVICE_COOKIE);
    const device = deps.devices.resolve(token);
    if (device === undefined || token === undefined) return c.html(await pairingPage({}));
    return c.html(await screenPage({ csrf: csrf.forSession(token), device: device.name }));
  });
  router.post('/pair', pairing(deps, createLoginGuard({ clock: deps.clock }), log));

  router.use('*', deviceOnly(deps, csrf));
  router.get('/board', (c) =>
    c.body(withNow(deps.board.view(stationOf(c)), deps.clock), 200, { 'content-type': 'application/json' }),
  );
  const live = { streams: 0 };
  router.get('/events', (c) => events(c, deps, live, stationOf(c)));
  router.post('/bump', async (c) => {
    const body = await jsonBody(c, BumpBody);
    return c.json(deps.board.bump(body.key, body.order_id, body.station));
  });
  router.post('/recall', async (c) => {
    const body = await jsonBody(c, RecallBody);
    return c.json(deps.board.recall(body.key, body.station));
  });
  app.route('/kitchen', router);
}

/**
 * The pairing form's POST: wrong codes count like wrong owner passwords (the login guard's limits), a
 * post from another site is refused, a good code puts the device's cookie in this browser.
 */
function pairing(deps: KitchenScreenDeps, guard: LoginGuard, log: Logger) {
  return async (c: Context<ScreenEnv>) => {
    const address = addressOf(c);
    const wait = guard.lockedFor(address);
    if (wait !== undefined) {
      c.header('Retry-After', String(wait));
      return c.html(await pairingPage({ error: `Too many wrong codes: try again in ${wait} seconds.` }), 429);
    }
    if (!notCrossSite(c, deps.publicUrl))
      return c.html(await pairingPage({ error: 'This form was not sent from this screen.' }), 403);
    const form = await readForm(c);
    try {
      const token = deps.devices.pair(form.text('code'), form.text('name'));
      setDeviceCookie(c, token, deps.publicUrl);
      log.info({ address }, 'kitchen screen paired');
      return c.redirect('/kitchen', 303);
    } catch (error) {
      if (!isAppError(error, 'invalid_input')) throw error;
      const locked = guard.failed(address);
      if (locked !== undefined)
        log.warn({ address, seconds: locked }, 'kitchen pairing locked after wrong codes');
      return c.html(await pairingPage({ error: error.message, name: form.text('name') }), 400);
    }
  };
}

/** Everything past the pairing form: a live device session, and on POST its CSRF token from this origin. */
function deviceOnly(
  deps: KitchenScreenDeps,
  csrf: ReturnType<typeof createAdminCsrf>,
): MiddlewareHandler<ScreenEnv> {
  return async (c, next) => {
    const token = getCookie(c, DEVICE_COOKIE);
    const device = deps.devices.resolve(token);
    if (device === undefined || token === undefined)
      return c.json(
        { error: { code: 'unauthorized', message: 'This screen is not paired (or was removed).' } },
        401,
      );
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      if (!notCrossSite(c, deps.publicUrl) || !csrf.validForSession(token, c.req.header(CSRF_HEADER)))
        return c.json({ error: { code: 'forbidden', message: 'Not sent from this kitchen screen.' } }, 403);
    }
    c.set('device', device);
    c.set('deviceToken', token);
    await next();
    return undefined;
  };
}

/**
 * The board, live: the whole board for the station whenever it changed, its version as the event id. A
 * screen that reconnects sends its last id; when the board is still at that version nothing is sent,
 * otherwise the current board, which replaces its cards (by key): none lost, none twice.
 */
function events(
  c: Context<ScreenEnv>,
  deps: KitchenScreenDeps,
  live: { streams: number },
  station: number | 'all',
): Response {
  const token = c.get('deviceToken');
  // A reopened stream names its last id in the query: a browser sends the header only when it reconnects itself.
  let sent = c.req.header('last-event-id') ?? c.req.query('last');
  return liveStream(c, (push, closed) => {
    if (live.streams >= MAX_STREAMS) return undefined;
    const send = () => {
      if (deps.devices.resolve(token) === undefined) {
        push({ event: 'revoked', data: 'This screen was removed by the owner.', last: true });
        return;
      }
      const view = deps.board.view(station);
      if (view.version === sent) return;
      sent = view.version;
      push({ event: 'board', id: view.version, data: withNow(view, deps.clock) });
    };
    send();
    live.streams += 1;
    const stop = deps.board.subscribe(send, closed);
    return () => {
      live.streams -= 1;
      stop();
    };
  });
}
