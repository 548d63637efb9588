import { importJWK, SignJWT } from 'jose';
import type { SigningKeys } from './key-files.js';
import { mcpResource } from './mcp-resource.js';

/**
 * Mints an access token of the same format the authorization server issues (ES256 `at+jwt`,
 * `aud` = PUBLIC_URL/mcp): for owner-issued tokens and for load and flow tests of /mcp.
 */
export async function mintAccessToken(options: {
  readonly publicUrl: string;
  readonly signingKeys: SigningKeys;
  readonly subject: string;
  readonly scopes: readonly string[];
  readonly clientId: string;
  readonly now: Date;
  readonly ttlSeconds: number;
  /** The token's id; a random UUID when omitted. Owner-issued tokens pass the id they recorded. */
  readonly jti?: string;
}): Promise<string> {
  const [jwk] = options.signingKeys.keys;
  if (jwk === undefined) throw new Error('no signing key');
  const key = await importJWK(jwk, 'ES256');
  const iat = Math.floor(options.now.getTime() / 1000);
  return new SignJWT({ scope: options.scopes.join(' '), client_id: options.clientId })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', ...(jwk.kid === undefined ? {} : { kid: jwk.kid }) })
    .setIssuer(options.publicUrl)
    .setAudience(mcpResource(options.publicUrl))
    .setSubject(options.subject)
    .setIssuedAt(iat)
    .setExpirationTime(iat + options.ttlSeconds)
    .setJti(options.jti ?? crypto.randomUUID())
    .sign(key);
}
