import type { Context, Hono } from 'hono';
import type { AppEnv } from '../http/app.js';
import { type ProductFeed, SHOP_FEED_ID } from '../services/menu/product-feed.js';
import { type AcpErrorResponse, acpError } from './acp-error.js';

export interface FeedRoutesDeps {
  readonly feed: ProductFeed;
}

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

function answer(c: Context, error: AcpErrorResponse, headers: Record<string, string> = {}) {
  return c.json(error.body, error.status, headers);
}

function feedNotFound(c: Context) {
  const message = `Feed not found; this shop publishes one feed, "${SHOP_FEED_ID}".`;
  return answer(c, acpError(404, 'feed_not_found', message, { param: 'id' }));
}

/**
 * Serves the shop's menu as an ACP product feed, read-only: `GET /feeds/menu` (FeedMetadata) and
 * `GET /feeds/menu/products` (ProductsResponse, the full set: openapi.feed.yaml defines no paging).
 * The feed paths declare no `security`, and a food shop's menu is public, so reads need no key
 * (feeds RFC §7 lets the seller allow public read-only access). The menu changes through the owner's
 * tools, so the publishing operations answer 405 with `Allow: GET, HEAD` (the ACP fallback, acp-fallback.ts).
 */
export function mountProductFeed(app: Hono<AppEnv>, deps: FeedRoutesDeps): void {
  app.get('/feeds/:id', (c) =>
    c.req.param('id') === SHOP_FEED_ID ? c.json(deps.feed.metadata()) : feedNotFound(c),
  );
  app.get('/feeds/:id/products', (c) =>
    c.req.param('id') === SHOP_FEED_ID
      ? c.body(deps.feed.productsJson(), 200, JSON_HEADERS)
      : feedNotFound(c),
  );
}
