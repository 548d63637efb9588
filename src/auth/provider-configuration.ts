import { type Adapter, type Configuration, errors, type KoaContextWithOIDC } from 'oidc-provider';
import { escapeHtml, page } from '../http/html.js';
import type { CustomerService } from '../services/orders/customer-service.js';
import {
  checkedAddresses,
  createReceiverPolicy,
  type ResolveHost,
} from '../services/webhooks/receiver-address.js';
import type { CibaBackchannel } from './ciba-backchannel.js';
import { clientMetadataRules, SERVED_SCOPES } from './client-metadata.js';
import type { SigningKeys } from './key-files.js';
import { MCP_SCOPES, mcpResource } from './mcp-resource.js';

/** Where the provider's endpoints live, all under /oauth. */
export const OAUTH_PREFIX = '/oauth';
/** The path of one sign-in or consent interaction. */
export const INTERACTION_PATH = `${OAUTH_PREFIX}/interaction`;
/** Dynamic client registration (RFC 7591), open to anyone. */
export const REGISTRATION_PATH = `${OAUTH_PREFIX}/reg`;

/** Hosts whose Client ID Metadata Documents are fetched: ChatGPT's and Claude's. */
export const CIMD_HOSTS: ReadonlySet<string> = new Set(['chatgpt.com', 'claude.ai', 'claude.com']);

/** What the provider's configuration is made from. */
export interface ProviderConfigurationDeps {
  readonly publicUrl: string;
  readonly adapter: (model: string) => Adapter;
  readonly signingKeys: SigningKeys;
  readonly cookieKeys: readonly string[];
  readonly customers: CustomerService;
  readonly cimdHosts: ReadonlySet<string>;
  /** Replaces the provider's outbound fetch (tests serve CIMD documents locally). */
  readonly fetch?: Configuration['fetch'];
  /** How the hosts the provider fetches from are resolved before they are checked; the system's by default. */
  readonly resolve?: ResolveHost;
  /** The CIBA backchannel over the shop's confirmations; without it the endpoint is off. */
  readonly ciba?: CibaBackchannel;
}

const HOUR = 60 * 60;
const DAY = 24 * HOUR;
/** How long an access token lives (seconds); a revoked grant is remembered as long (oauth-adapter). */
export const ACCESS_TOKEN_TTL_SECONDS = HOUR;

/** oidc-provider's configuration: OAuth 2.1 for MCP clients, nothing the resource server can't check. */
export function providerConfiguration(d: ProviderConfigurationDeps): Configuration {
  return {
    adapter: d.adapter,
    fetch: d.fetch ?? publicOnlyFetch(d.resolve),
    jwks: d.signingKeys as Configuration['jwks'],
    cookies: {
      keys: [...d.cookieKeys],
      names: { session: 'op_session', interaction: 'op_interaction', resume: 'op_resume' },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    routes: routes(),
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}` },
    scopes: [...SERVED_SCOPES],
    // Validators run on every request, present or not: this one only fills in an omitted scope.
    extraParams: { scope: defaultScope },
    claims: { openid: ['sub'], profile: ['name'] },
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'private_key_jwt', 'client_secret_basic', 'client_secret_post'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: 'ES256',
    },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    // oidc-provider 9 accepts only S256; this makes a code_challenge mandatory for every client.
    pkce: { required: () => true },
    features: features(d),
    extraClientMetadata: clientMetadataRules,
    // The default needs `offline_access`, which MCP clients (Claude) don't ask for.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Always rotate; presenting a consumed refresh token revokes the whole grant.
    rotateRefreshToken: true,
    // The grant travels in the access token (a JWT kept nowhere), so a revoked grant's tokens are refused.
    extraTokenClaims: (_ctx, token) =>
      'grantId' in token && typeof token.grantId === 'string' ? { grant_id: token.grantId } : undefined,
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: HOUR,
      Interaction: 15 * 60,
      Session: 14 * DAY,
      Grant: 90 * DAY,
      RefreshToken: 30 * DAY,
      ...(d.ciba === undefined ? {} : { BackchannelAuthenticationRequest: d.ciba.ttl }),
    },
    // Tokens outlive the browser session cookie of the sign-in page.
    expiresWithSession: () => false,
    findAccount: (_ctx, sub) => {
      const customer = d.customers.bySubject(sub);
      if (customer === undefined) return undefined;
      return { accountId: customer.subject, claims: () => ({ sub: customer.subject, name: customer.name }) };
    },
    renderError: (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'html';
      const message = `${String(out.error)}: ${String(out.error_description ?? '')}`;
      ctx.body = page(
        'Sign-in problem',
        `<h1>Sign-in problem</h1><p class="error">${escapeHtml(message)}</p>`,
      );
    },
  };
}

const PUBLIC_ONLY = createReceiverPolicy([]);

/**
 * oidc-provider's fetch, once every address of the host is checked: a name that points at this machine
 * or the shop's network gets no connection at all (oidc-provider's own guard checks the address it
 * connected to, after connecting).
 */
function publicOnlyFetch(resolve: ResolveHost | undefined): NonNullable<Configuration['fetch']> {
  return async (input, init) => {
    await checkedAddresses(
      new URL(input instanceof Request ? input.url : String(input)),
      PUBLIC_ONLY,
      resolve,
    );
    return globalThis.fetch(input, init);
  };
}

function routes(): Configuration['routes'] {
  return {
    authorization: `${OAUTH_PREFIX}/auth`,
    token: `${OAUTH_PREFIX}/token`,
    jwks: `${OAUTH_PREFIX}/jwks`,
    registration: REGISTRATION_PATH,
    revocation: `${OAUTH_PREFIX}/revoke`,
    userinfo: `${OAUTH_PREFIX}/me`,
    end_session: `${OAUTH_PREFIX}/session/end`,
    pushed_authorization_request: `${OAUTH_PREFIX}/par`,
    backchannel_authentication: `${OAUTH_PREFIX}/backchannel`,
    introspection: `${OAUTH_PREFIX}/introspect`,
    code_verification: `${OAUTH_PREFIX}/device`,
    device_authorization: `${OAUTH_PREFIX}/device/auth`,
  };
}

function features(d: ProviderConfigurationDeps): Configuration['features'] {
  const resource = mcpResource(d.publicUrl);
  return {
    devInteractions: { enabled: false },
    // The resource server checks neither DPoP proofs nor userinfo; PAR adds nothing MCP clients use.
    dPoP: { enabled: false },
    rpInitiatedLogout: { enabled: false },
    pushedAuthorizationRequests: { enabled: false },
    userinfo: { enabled: false },
    revocation: { enabled: true },
    registration: { enabled: true, initialAccessToken: false, issueRegistrationAccessToken: false },
    ...(d.ciba === undefined ? {} : { ciba: d.ciba.feature }),
    clientIdMetadataDocument: {
      enabled: true,
      ack: 'draft-02',
      allowFetch: (_ctx, clientId) => d.cimdHosts.has(new URL(clientId).host),
      // A document's jwks_uri (private_key_jwt, as ChatGPT's) is fetched too: keep it on the vetted host.
      allowClient: (_ctx, client) =>
        client.jwksUri === undefined || URL.parse(client.jwksUri)?.host === new URL(client.clientId).host,
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, indicator) => {
        if (indicator !== resource) throw new errors.InvalidTarget();
        return {
          scope: MCP_SCOPES.join(' '),
          audience: resource,
          accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        };
      },
    },
  } as Configuration['features'];
}

/**
 * RFC 6749 §3.3: an omitted scope gets a default rather than failing. Without one, oidc-provider signs
 * the customer in and then answers access_denied, as nothing was granted. The default is the MCP
 * resource's scopes (within the client's registered `scope`), and the consent page lists them.
 */
function defaultScope(ctx: KoaContextWithOIDC, value: string | undefined, client: { scope?: string }): void {
  if (value !== undefined || ctx.oidc.params === undefined) return;
  const registered = client.scope?.split(' ');
  const scopes = MCP_SCOPES.filter((s) => registered === undefined || registered.includes(s));
  if (scopes.length > 0) ctx.oidc.params.scope = scopes.join(' ');
}
