import { createLocalJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { McpCaller } from '../http/mcp-transport.js';
import { bearerToken, type HeaderReader } from '../http/request-headers.js';
import type { SigningKeys } from './key-files.js';
import { publicKeys } from './key-files.js';
import { mcpResource } from './mcp-resource.js';

/** Verified tokens kept until they expire, so a conversation's calls verify a signature once. */
const MAX_CACHED_TOKENS = 1000;
/** RFC 6750 §2.1: the token of `Authorization: Bearer <token>`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Resolves the caller of /mcp from `Authorization: Bearer …`: an ES256 `at+jwt` signed by our own
 * keys, issued by PUBLIC_URL, for the resource PUBLIC_URL/mcp (RFC 8707, RFC 9068), not expired.
 * Anything else — no header, a token in the query, another audience, `alg: none`, a foreign key, a
 * revoked jti or grant — is no caller at all, and the route answers 401 with the resource metadata.
 */
export function createBearerResolver(deps: {
  publicUrl: string;
  signingKeys: SigningKeys;
  now: () => Date;
  /** The owner's denylist (`counterpi token revoke`): asked on every request, cached tokens too, so cheap. */
  isRevoked: (jti: string) => boolean;
  /** Grants the authorization server revoked (refresh-token reuse …): asked as often, as cheap. */
  isGrantRevoked?: (grantId: string) => boolean;
}): (header: HeaderReader) => Promise<McpCaller | undefined> {
  const jwks = createLocalJWKSet(publicKeys(deps.signingKeys));
  const audience = mcpResource(deps.publicUrl);
  // Keyed by the token's signature (its last segment): hashing 86 characters instead of the whole token
  // on every call; the whole token must still equal the one verified.
  const verified = new Map<
    string,
    { token: string; caller: McpCaller; jti: string; grantId: string | undefined; expiresAt: number }
  >();
  const refused = (jti: string, grantId: string | undefined) =>
    deps.isRevoked(jti) || (grantId !== undefined && deps.isGrantRevoked?.(grantId) === true);

  return async (header) => {
    const token = bearerToken(header('authorization'));
    if (token === undefined) return undefined;
    const signature = token.slice(token.lastIndexOf('.') + 1);
    const cached = verified.get(signature);
    if (cached !== undefined && cached.token === token && cached.expiresAt > deps.now().getTime()) {
      return refused(cached.jti, cached.grantId) ? undefined : cached.caller;
    }
    if (!B64TOKEN.test(token)) return undefined;
    try {
      const { payload } = await jwtVerify(token, jwks, {
        issuer: deps.publicUrl,
        audience,
        algorithms: ['ES256'],
        typ: 'at+jwt',
        currentDate: deps.now(),
        requiredClaims: ['sub', 'exp', 'jti'],
      });
      const jti = payload.jti ?? '';
      const grantId = typeof payload.grant_id === 'string' ? payload.grant_id : undefined;
      if (refused(jti, grantId)) return undefined;
      const caller = toCaller(payload);
      if (verified.size >= MAX_CACHED_TOKENS) verified.clear();
      verified.set(signature, { token, caller, jti, grantId, expiresAt: (payload.exp ?? 0) * 1000 });
      return caller;
    } catch {
      return undefined;
    }
  };
}

function toCaller(payload: JWTPayload): McpCaller {
  const scope = typeof payload.scope === 'string' ? payload.scope : '';
  return {
    subject: payload.sub ?? '',
    scopes: scope.split(' ').filter(Boolean),
    ...(typeof payload.client_id === 'string' ? { clientId: payload.client_id } : {}),
  };
}
