import { createHmac } from 'node:crypto';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context, Hono } from 'hono';
import Provider from 'oidc-provider';
import type { AppEnv } from '../http/app.js';
import { type Clock, systemClock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { createCibaBackchannel } from './ciba-backchannel.js';
import type { CibaShop } from './ciba-hint.js';
import { createCibaLinks } from './ciba-links.js';
import { createCibaSettlement } from './ciba-settle.js';
import { SERVED_SCOPES } from './client-metadata.js';
import { createCsrf } from './csrf.js';
import { mountInteractionRoutes } from './interaction-routes.js';
import { protectedResourceMetadata } from './mcp-resource.js';
import { nodeBindings, pinForwarding } from './node-bindings.js';
import {
  CIMD_HOSTS,
  OAUTH_PREFIX,
  type ProviderConfigurationDeps,
  providerConfiguration,
  REGISTRATION_PATH,
} from './provider-configuration.js';
import { checkRegistrationBody } from './registration-body.js';

/** What the embedded authorization server is built from; main.ts passes the store-backed adapter. */
export interface AuthorizationServerDeps extends Omit<ProviderConfigurationDeps, 'cimdHosts' | 'ciba'> {
  readonly log: Logger;
  /** The orders and confirmation requests the CIBA backchannel endpoint works on. */
  readonly ciba: CibaShop;
  /** Hosts whose Client ID Metadata Documents may be fetched; ChatGPT's and Claude's by default. */
  readonly cimdHosts?: ReadonlySet<string>;
  /** Time for the sign-in attempt limits; the system clock by default. */
  readonly clock?: Clock;
  /** The shop the sign-in pages name, and whose country reads national phone numbers. */
  readonly shop: () => { readonly name: string; readonly locale: string };
}

/** The mounted authorization server. */
export interface AuthorizationServer {
  readonly provider: Provider;
  /**
   * The client a confirmation also signs in (a CIBA request waiting on it), for the page to name:
   * its registered name and the host of its first redirect URI or metadata URL.
   */
  readonly cibaClientOf: (confirmationAuthReqId: string) => Promise<CibaClient | undefined>;
}

/** A CIBA client as the confirmation page names it. */
export interface CibaClient {
  readonly name: string;
  readonly host: string | undefined;
}

const DISCOVERY_PATHS = ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'];
const PRM_PATHS = ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'];

/** Mounts oidc-provider under /oauth, its discovery at the root well-knowns, and the MCP resource metadata. */
export function mountAuthorizationServer(
  app: Hono<AppEnv>,
  deps: AuthorizationServerDeps,
): AuthorizationServer {
  const { provider, cibaClientOf } = createProvider(deps);
  const pub = new URL(deps.publicUrl);
  const callback = provider.callback();
  // Koa writes the response itself; RESPONSE_ALREADY_SENT tells @hono/node-server to leave it alone.
  const toProvider = async (c: Context<AppEnv>) => {
    const { incoming, outgoing } = nodeBindings(c);
    if (c.req.path === REGISTRATION_PATH) {
      const refused = await checkRegistrationBody(c, incoming);
      if (refused !== undefined) return c.json(refused, 400);
    }
    pinForwarding(incoming, pub);
    await callback(incoming, outgoing);
    return RESPONSE_ALREADY_SENT;
  };

  const cookieKey = deps.cookieKeys[0] ?? '';
  const csrf = createCsrf(
    createHmac('sha256', cookieKey).update('counterpi interaction csrf').digest('base64url'),
  );
  mountInteractionRoutes(app, {
    provider,
    publicUrl: deps.publicUrl,
    customers: deps.customers,
    shop: deps.shop,
    csrf,
    clock: deps.clock ?? systemClock,
  });
  app.all(`${OAUTH_PREFIX}/*`, toProvider);
  app.on(['GET', 'OPTIONS'], DISCOVERY_PATHS, toProvider);

  const metadata = protectedResourceMetadata(deps.publicUrl);
  for (const path of PRM_PATHS) {
    // RFC 9728 §3: any origin may read it (browser-based clients discover the server from it).
    app.get(path, (c) => {
      c.header('Access-Control-Allow-Origin', '*');
      return c.json(metadata);
    });
  }
  return { provider, cibaClientOf };
}

function createProvider(deps: AuthorizationServerDeps): AuthorizationServer {
  if (deps.publicUrl.endsWith('/')) throw new Error('The issuer must not end with a slash.');
  const log = deps.log.child({ module: 'oauth' });
  const links = createCibaLinks(deps.adapter);
  const ciba = createCibaBackchannel({ shop: deps.ciba, links, clock: deps.clock ?? systemClock, log });
  const configuration = providerConfiguration({ ...deps, cimdHosts: deps.cimdHosts ?? CIMD_HOSTS, ciba });
  const provider = new Provider(deps.publicUrl, configuration);
  // pinForwarding rewrites Host and X-Forwarded-* from PUBLIC_URL before Koa reads them.
  provider.proxy = true;
  provider.on('server_error', (_ctx, error) => log.error({ err: error }, 'authorization server error'));
  provider.on('grant.revoked', (_ctx, grantId) => log.info({ grant_id: grantId }, 'grant revoked'));
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'discovery' && ctx.body !== null && typeof ctx.body === 'object') {
      const body = ctx.body as Record<string, unknown>;
      // Advertise the resource's scopes, not offline_access: refresh tokens come without it.
      body.scopes_supported = [...SERVED_SCOPES];
      // oidc-provider always says true; the confirmation page needs no user code.
      if ('backchannel_authentication_endpoint' in body)
        body.backchannel_user_code_parameter_supported = false;
    }
  });
  const settlement = createCibaSettlement({ provider, links, confirmations: deps.ciba.confirmations, log });
  provider.use(settlement.polls);
  // A decision on the confirmation page settles the CIBA request waiting on it, if any.
  deps.ciba.confirmations.decided.on(settlement.decided);
  async function cibaClientOf(confirmationAuthReqId: string): Promise<CibaClient | undefined> {
    const cibaId = await links.cibaOf(confirmationAuthReqId);
    if (cibaId === undefined) return undefined;
    const request = await provider.BackchannelAuthenticationRequest.find(cibaId, { ignoreExpiration: true });
    const client = request?.clientId === undefined ? undefined : await provider.Client.find(request.clientId);
    if (client === undefined) return undefined;
    const where = client.redirectUris?.[0] ?? client.jwksUri ?? client.clientId;
    return {
      name:
        typeof client.clientName === 'string' && client.clientName !== ''
          ? client.clientName
          : client.clientId,
      host: URL.parse(where)?.host,
    };
  }
  return { provider, cibaClientOf };
}
