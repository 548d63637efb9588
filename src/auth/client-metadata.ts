import { isIP } from 'node:net';
import { type ClientMetadata, type Configuration, errors } from 'oidc-provider';
import { nonPublicKind } from '../services/webhooks/receiver-address.js';
import { CIBA_GRANT_TYPE } from './ciba-settle.js';
import { MCP_SCOPES } from './mcp-resource.js';

/** The scopes this authorization server serves: sign-in (`openid`) and the MCP resource's. */
export const SERVED_SCOPES: readonly string[] = ['openid', ...MCP_SCOPES];

/**
 * Client metadata URLs this server fetches for whoever registers a client, before any sign-in: the keys
 * of a `private_key_jwt` client (at its first token request) and the sector identifier document (at
 * registration, by oidc-provider's default `sectorIdentifierUriValidate`).
 */
const FETCHED_URIS = ['jwks_uri', 'sector_identifier_uri'] as const;

/**
 * Where a program on the customer's own computer listens (RFC 8252 §7.3). The IP literals are what
 * RFC 8252 §8.3 recommends; `localhost` it does not (the name may resolve off the loopback interface, or
 * be blocked by a firewall), yet Claude Code and MCP Inspector register it. It is accepted: that risk
 * falls on the client that chose the name, and a code sent astray is useless without its PKCE verifier.
 * Hosts are compared as registered: a client registered with `localhost` is never sent to `127.0.0.1`.
 */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * DCR and CIMD client metadata beyond what oidc-provider checks itself (its `extraClientMetadata`, run
 * before its own checks): oidc-provider's documented way to check and change what a client registers.
 */
export const clientMetadataRules: NonNullable<Configuration['extraClientMetadata']> = {
  properties: ['redirect_uris', 'grant_types', 'scope', ...FETCHED_URIS],
  validator: validateClientMetadata,
};

function validateClientMetadata(_ctx: unknown, key: string, value: unknown, metadata: ClientMetadata): void {
  if (key === 'redirect_uris') {
    validateRedirectUris(value);
    if (isLoopbackClient(value)) metadata.application_type = 'native';
  }
  if (key === 'scope' && typeof value === 'string') keepServedScopes(value, metadata);
  if ((FETCHED_URIS as readonly string[]).includes(key) && value !== undefined)
    validateFetchedUri(key, value);
  // CIBA Core §7.1: the client authenticates at the backchannel endpoint, so a public one cannot use it.
  if (key === 'grant_types' && Array.isArray(value) && value.includes(CIBA_GRANT_TYPE)) {
    if (metadata.token_endpoint_auth_method === 'none') {
      throw new errors.InvalidClientMetadata(
        'a CIBA client must authenticate: register a token_endpoint_auth_method other than none',
      );
    }
  }
}

/**
 * A client that receives its redirect on an http loopback address is a native app (RFC 8252 §7.3), whatever
 * `application_type` it sent. oidc-provider then matches its loopback redirect URIs on any port, scheme,
 * host and path still exactly (RFC 8252 §7.3, RFC 9700 §4.1.3), and asks the customer's consent on every
 * authorization, since any program on that computer can claim the client's name and a port (RFC 8252
 * §8.6). An https loopback redirect (which a native client may not register) keeps the client as it was.
 */
function isLoopbackClient(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  const urls = value.map((uri) => URL.parse(String(uri)));
  const loopback = (url: URL | null, protocol: string) =>
    url?.protocol === protocol && LOOPBACK_HOSTS.has(url.hostname);
  return urls.some((url) => loopback(url, 'http:')) && !urls.some((url) => loopback(url, 'https:'));
}

/**
 * RFC 7591 §2: the server may replace the requested scope values. Clients ask for scopes meant for other
 * servers (`offline_access`, `profile`); those are dropped rather than the registration refused. The
 * registration response then carries the `scope` registered (the served ones asked for), or none when
 * nothing served was asked for: then the client may ask for any served scope, as one that sent no scope.
 */
function keepServedScopes(value: string, metadata: ClientMetadata): void {
  const kept = value.split(' ').filter((scope) => SERVED_SCOPES.includes(scope));
  if (kept.length > 0) metadata.scope = [...new Set(kept)].join(' ');
  else delete metadata.scope;
}

/**
 * A fetched URL must be https (keys fetched in the clear could be swapped on the way) on a public
 * address, never this machine or the shop's network (loopback, private, link-local, in any notation).
 * A name is checked here when it is this machine by definition (RFC 6761 §6.3); where any other name
 * resolves is checked before each fetch (publicOnlyFetch).
 */
function validateFetchedUri(key: string, value: unknown): void {
  const url = URL.parse(String(value));
  const refuse = (why: string) => new errors.InvalidClientMetadata(`${key} ${why}`);
  if (url === null || url.protocol !== 'https:') throw refuse('must be an https URL');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) throw refuse('must not be on this machine');
  const kind = isIP(host) === 0 ? undefined : nonPublicKind(host);
  if (kind !== undefined) throw refuse(`must be on a public address, not a ${kind} one`);
}

/** DCR and CIMD redirect URIs: https, or http on a loopback address (native and CLI clients). */
function validateRedirectUris(value: unknown): void {
  if (!Array.isArray(value)) return;
  for (const uri of value) {
    const url = URL.parse(String(uri));
    const ok =
      url !== null &&
      (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)));
    if (!ok) {
      throw Object.assign(new errors.InvalidRedirectUri(), {
        error_description: 'redirect_uris must be https, or http on a loopback address',
      });
    }
  }
}
