import type { Context, Hono } from 'hono';
import { AppError } from '../domain/app-error.js';
import type { AppEnv } from '../http/app.js';
import { acpErrorFromApp } from './acp-error.js';
import { acpJson } from './acp-request.js';
import { DISCOVERY_PATH } from './discovery-routes.js';

/**
 * The paths ACP owns, the one list: each path and everything under it is answered in ACP's terms.
 * The release's REST APIs sit at the root (openapi.agentic_checkout.yaml `/checkout_sessions`,
 * openapi.cart.yaml `/carts`, openapi.delegate_payment.yaml `/agentic_commerce/delegate_payment`,
 * openapi.delegate_authentication.yaml `/delegate_authentication`, openapi.feed.yaml `/feeds`), plus
 * the binding and payment handler descriptions under `/acp` and the discovery document.
 */
export const ACP_PATHS = [
  '/checkout_sessions',
  '/carts',
  '/agentic_commerce',
  '/delegate_payment',
  '/delegate_authentication',
  '/feeds',
  '/acp',
  DISCOVERY_PATH,
] as const;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** True when a route pattern (`/carts/:id`, `/acp/*`) matches `path` segment by segment. */
function matches(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const got = path.split('/');
  for (const [index, part] of want.entries()) {
    if (part === '*') return true;
    const segment = got[index];
    if (segment === undefined || (part.startsWith(':') ? segment === '' : part !== segment)) return false;
  }
  return want.length === got.length;
}

/** The methods routed for `path`, from the app's own routes (middleware and catch-alls excluded). */
export function allowedMethods(routes: readonly { method: string; path: string }[], path: string): string[] {
  const routed = new Set(
    routes.filter((r) => r.method !== 'ALL' && matches(r.path, path)).map((r) => r.method),
  );
  // Hono answers HEAD with the GET route (RFC 9110 §9.3.2).
  if (routed.has('GET')) routed.add('HEAD');
  return METHODS.filter((m) => routed.has(m));
}

/**
 * Mounted after every ACP route: a request under an ACP path that no route took gets ACP's flat Error,
 * 405 with `Allow` when the path is routed for other methods, else 404 `invalid_request` / `not_found`
 * (the code of openapi.cart.yaml's 404 example). Statuses come from `statusForCode`.
 */
export function mountAcpFallback(app: Hono<AppEnv>): void {
  const fallback = (c: Context) => {
    const allowed = allowedMethods(app.routes, c.req.path);
    if (allowed.length === 0) {
      const message = `${c.req.method} ${c.req.path} is not an endpoint of this shop.`;
      return acpJson(c, acpErrorFromApp(new AppError('not_found', message)));
    }
    const message = `${c.req.path} answers ${allowed.join(', ')}, not ${c.req.method}.`;
    return acpJson(c, acpErrorFromApp(new AppError('method_not_allowed', message)), {
      allow: allowed.join(', '),
    });
  };
  for (const path of ACP_PATHS) {
    app.all(path, fallback);
    app.all(`${path}/*`, fallback);
  }
}
