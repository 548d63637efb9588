import type { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { ShopSettings } from '../domain/shop-settings.js';
import type { AppEnv } from '../http/app.js';
import type { ShopService } from '../services/shop/shop-service.js';
import { SUPPORTED_VERSIONS } from './acp-request.js';
import { SUPPORTED_EXTENSIONS } from './present-capabilities.js';

/** Where agents look first (ACP discovery RFC §4.1, RFC 8615). */
export const DISCOVERY_PATH = '/.well-known/acp.json';

/** The `services` vocabulary of release 2026-04-17; closed per version, so nothing else may be named. */
export type AcpService = 'checkout' | 'orders' | 'delegate_payment' | 'carts';
/** The `transports` vocabulary of release 2026-04-17. */
export type AcpTransport = 'rest' | 'mcp';

/** `DiscoveryResponse` of ACP schema.agentic_checkout.json. */
export interface DiscoveryDocument {
  readonly protocol: {
    readonly name: 'acp';
    readonly version: string;
    readonly supported_versions: readonly string[];
  };
  readonly api_base_url: string;
  readonly transports: readonly AcpTransport[];
  readonly capabilities: {
    readonly services: readonly AcpService[];
    /** Extensions the shop supports; each session says which are active for it (discovery RFC §4.2). */
    readonly extensions: readonly { readonly name: string }[];
    readonly supported_currencies: readonly string[];
    readonly supported_locales: readonly string[];
  };
}

export interface DiscoveryDeps {
  /** The public origin: the REST API lives at its root. */
  readonly publicUrl: string;
  readonly shop: Pick<ShopService, 'settings'>;
  /** What main.ts serves; the document promises no more. */
  readonly services: readonly AcpService[];
  readonly transports: readonly AcpTransport[];
}

/** RFC §4.1: "SHOULD include … a minimum of `public, max-age=3600`". */
const CACHE_CONTROL = 'public, max-age=3600';

/** The discovery document for the shop's current settings. */
export function discoveryDocument(deps: DiscoveryDeps, settings: ShopSettings): DiscoveryDocument {
  // The document lists versions oldest first, the last one being the latest (RFC §4.2); dates sort as text.
  const versions = [...SUPPORTED_VERSIONS].sort();
  return {
    protocol: { name: 'acp', version: versions.at(-1) ?? '', supported_versions: versions },
    api_base_url: deps.publicUrl,
    transports: deps.transports,
    capabilities: {
      services: deps.services,
      extensions: SUPPORTED_EXTENSIONS,
      supported_currencies: [settings.profile.currency.toLowerCase()],
      supported_locales: [settings.profile.locale],
    },
  };
}

/**
 * Serves `GET /.well-known/acp.json`: no authentication (RFC §4.1 MUST), cacheable for an hour, readable
 * from any web origin (a public document; no credentials are involved). The MCP binding's endpoint has no
 * field in this release (RFC §11 defers transport URLs), so it is only named by the `mcp` transport.
 */
export function mountAcpDiscovery(app: Hono<AppEnv>, deps: DiscoveryDeps): void {
  let builtFor: ShopSettings | undefined;
  let body = '';
  app.use(DISCOVERY_PATH, cors({ origin: '*', allowMethods: ['GET', 'HEAD'], maxAge: 86_400 }));
  app.get(DISCOVERY_PATH, (c) => {
    const settings = deps.shop.settings();
    if (settings !== builtFor) {
      body = JSON.stringify(discoveryDocument(deps, settings));
      builtFor = settings;
    }
    return c.body(body, 200, { 'content-type': 'application/json', 'cache-control': CACHE_CONTROL });
  });
}
