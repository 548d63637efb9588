import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import * as oc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKeys, SIGNING_KEYS_FILE } from '../src/auth/key-files.js';
import { authorizationRequest, createBrowser, tunnelTo } from './helpers/oauth-browser.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

const RESOURCE = `${PUBLIC_URL}/mcp`;
const REDIRECT = 'http://127.0.0.1:53682/callback';

describe('OAuth authorization server', () => {
  let t: TestApp;
  let tunnel: typeof fetch;
  let client: oc.Configuration;

  beforeAll(async () => {
    t = await startTestApp({ bearerTokens: true });
    tunnel = tunnelTo(t.url);
    client = await oc.dynamicClientRegistration(
      new URL(PUBLIC_URL),
      { client_name: 'Test Assistant', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' },
      oc.None(),
      { [oc.customFetch]: tunnel as oc.CustomFetch, algorithm: 'oauth2' },
    );
    client[oc.customFetch] = tunnel as oc.CustomFetch;
  });
  afterAll(async () => {
    await t.stop();
  });

  /** Starts an authorization, in a fresh browser unless given one; returns the browser's first landing. */
  async function authorize(
    extra: Record<string, string> = {},
    browser = createBrowser(tunnel),
    config: oc.Configuration = client,
    redirect = REDIRECT,
  ) {
    const { verifier, state, url } = await authorizationRequest(config, redirect, extra);
    return { browser, verifier, state, first: await browser.go(url.href) };
  }

  /** Exchanges the code a landing on REDIRECT carries. */
  function exchange(
    back: { url: URL },
    started: { verifier: string; state: string },
    config: oc.Configuration = client,
  ) {
    return oc.authorizationCodeGrant(
      config,
      back.url,
      { pkceCodeVerifier: started.verifier, expectedState: started.state },
      { resource: RESOURCE },
    );
  }

  /** What /mcp answers a tools/list with this access token. */
  async function mcpStatus(accessToken: string): Promise<number> {
    const res = await tunnel(RESOURCE, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    await res.body?.cancel();
    return res.status;
  }

  /** A first sign-in and consent in a fresh browser, through to tokens. */
  async function signIn(person: { name: string; phone: string }) {
    const started = await authorize();
    const consent = await started.browser.submit(started.first, 0, person);
    const tokens = await exchange(await started.browser.submit(consent, 0), started);
    return { browser: started.browser, tokens, sub: decodeJwt(tokens.access_token).sub };
  }

  const grantOf = (refreshToken: string) =>
    (
      t.app.store.db
        .prepare("SELECT grant_id FROM oauth_store WHERE model = 'RefreshToken' AND id = ?")
        .get(refreshToken) as { grant_id: string }
    ).grant_id;
  const rowsOfGrant = (grantId: string) =>
    (
      t.app.store.db
        .prepare("SELECT count(*) AS n FROM oauth_store WHERE grant_id = ? OR (model = 'Grant' AND id = ?)")
        .get(grantId, grantId) as { n: number }
    ).n;

  it('serves both discovery documents with the same issuer, PUBLIC_URL without a slash, and CORS', async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const res = await tunnel(`${PUBLIC_URL}${path}`, { headers: { origin: 'https://claude.ai' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).not.toBeNull();
      const meta = (await res.json()) as Record<string, unknown>;
      expect(meta.issuer).toBe(PUBLIC_URL);
      expect(meta.authorization_endpoint).toBe(`${PUBLIC_URL}/oauth/auth`);
      expect(meta.code_challenge_methods_supported).toEqual(['S256']);
      expect(meta.authorization_response_iss_parameter_supported).toBe(true);
      expect(meta.client_id_metadata_document_supported).toBe(true);
    }
  });

  it('ignores a spoofed Host and X-Forwarded-Host', async () => {
    const res = await fetch(`${t.url}/.well-known/oauth-authorization-server`, {
      headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
    });
    const meta = (await res.json()) as Record<string, string>;
    expect(meta.issuer).toBe(PUBLIC_URL);
    expect(meta.token_endpoint).toBe(`${PUBLIC_URL}/oauth/token`);
  });

  it('registers https and loopback redirect URIs and refuses plain http elsewhere', async () => {
    const register = (uris: string[]) =>
      tunnel(`${PUBLIC_URL}/oauth/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: uris, token_endpoint_auth_method: 'none' }),
      });
    const ok = await register(['https://assistant.example/callback']);
    expect(ok.status).toBe(201);
    const refused = await register(['http://evil.example/callback']);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_redirect_uri');
    expect(client.clientMetadata().client_id).toBeTruthy();
  });

  it('signs a customer in, asks consent, and issues resource-bound ES256 tokens that rotate', async () => {
    const { browser, verifier, state, first } = await authorize();
    expect(first.url.pathname).toMatch(/^\/oauth\/interaction\//);
    expect(first.html).toContain('Sign in to order');

    const wrong = await browser.submit(first, 0, { name: 'Ada', phone: '0770 090' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('country code');

    const consent = await browser.submit(wrong, 0, { name: 'Ada Lovelace', phone: '+44 7700 900123' });
    expect(consent.html).toContain('Allow Test Assistant to order for you?');
    expect(consent.html).toContain('127.0.0.1:53682');

    const back = await browser.submit(consent, 0);
    expect(back.url.origin + back.url.pathname).toBe(REDIRECT);
    expect(back.url.searchParams.get('iss')).toBe(PUBLIC_URL);

    const tokens = await oc.authorizationCodeGrant(
      client,
      back.url,
      { pkceCodeVerifier: verifier, expectedState: state },
      { resource: RESOURCE },
    );
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const jwks = (await (await tunnel(`${PUBLIC_URL}/oauth/jwks`)).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks), {
      issuer: PUBLIC_URL,
      audience: RESOURCE,
      algorithms: ['ES256'],
      typ: 'at+jwt',
    });
    expect(payload.scope).toBe('menu:read order:write');
    const customer = t.app.store.db
      .prepare('SELECT name, phone FROM customers WHERE subject = ?')
      .get(payload.sub) as { name: string; phone: string } | undefined;
    expect(customer).toEqual({ name: 'Ada Lovelace', phone: '+447700900123' });

    const firstRefresh = tokens.refresh_token ?? '';
    expect(firstRefresh).not.toBe('');
    const rotated = await oc.refreshTokenGrant(client, firstRefresh);
    expect(rotated.refresh_token).toBeTruthy();
    expect(rotated.refresh_token).not.toBe(firstRefresh);
    expect(decodeJwt(rotated.access_token).aud).toBe(RESOURCE);

    const reuse = await oc.refreshTokenGrant(client, firstRefresh).catch((e: unknown) => e);
    expect(reuse).toBeInstanceOf(oc.ResponseBodyError);
    expect((reuse as oc.ResponseBodyError).error).toBe('invalid_grant');
    const afterReuse = await oc
      .refreshTokenGrant(client, rotated.refresh_token ?? '')
      .catch((e: unknown) => e);
    expect((afterReuse as oc.ResponseBodyError).error).toBe('invalid_grant');
  });

  it('rotates the refresh token on every use; replaying one from mid-chain revokes the whole grant', async () => {
    const { tokens } = await signIn({ name: 'Chain', phone: '+15555550111' });
    const chain = [tokens.refresh_token ?? ''];
    const accessTokens = [tokens.access_token];
    for (let n = 0; n < 3; n++) {
      const next = await oc.refreshTokenGrant(client, chain.at(-1) ?? '');
      chain.push(next.refresh_token ?? '');
      accessTokens.push(next.access_token);
    }
    expect(new Set(chain).size).toBe(4);
    expect(chain.every((token) => token !== '')).toBe(true);
    const grantId = grantOf(chain[3] ?? '');
    expect(grantOf(chain[0] ?? '')).toBe(grantId);
    expect(rowsOfGrant(grantId)).toBeGreaterThan(1);

    // Access tokens of the grant work until the replay, then are refused though still unexpired.
    for (const accessToken of accessTokens) {
      expect(decodeJwt(accessToken).grant_id).toBe(grantId);
      expect(await mcpStatus(accessToken)).toBe(200);
    }
    const replay = await oc.refreshTokenGrant(client, chain[1] ?? '').catch((e: unknown) => e);
    expect((replay as oc.ResponseBodyError).error).toBe('invalid_grant');
    for (const accessToken of accessTokens) expect(await mcpStatus(accessToken)).toBe(401);
    // Another customer's grant is untouched.
    const other = await signIn({ name: 'Other', phone: '+15555550122' });
    expect(await mcpStatus(other.tokens.access_token)).toBe(200);
    const newest = await oc.refreshTokenGrant(client, chain[3] ?? '').catch((e: unknown) => e);
    expect((newest as oc.ResponseBodyError).error).toBe('invalid_grant');
    // The grant and every token issued under it are gone from storage, not merely marked.
    expect(rowsOfGrant(grantId)).toBe(0);
  });

  it('remembers a returning customer in the same browser: no sign-in form, the same subject, consent again for a loopback client', async () => {
    const first = await signIn({ name: 'Rita', phone: '+15555550133' });
    const customers = () =>
      (t.app.store.db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;
    const before = customers();

    // The same assistant again, on loopback: no sign-in form, but consent again, since any program on
    // the customer's computer can use its client_id and a port of its own (RFC 8252 §8.6).
    const again = await authorize({}, first.browser);
    expect(again.first.html).toContain('Allow Test Assistant to order for you?');
    expect(again.first.html).toContain('place and change orders in your name');
    expect(again.first.html).not.toContain('Your name');
    const allowed = await first.browser.submit(again.first, 0);
    expect(allowed.url.origin + allowed.url.pathname).toBe(REDIRECT);
    expect(decodeJwt((await exchange(allowed, again)).access_token).sub).toBe(first.sub);

    // Another assistant on https (a fresh registration, as Claude makes per connection): consent only.
    const webRedirect = 'https://assistant.example/callback';
    const other = await oc.dynamicClientRegistration(
      new URL(PUBLIC_URL),
      { client_name: 'Other Assistant', redirect_uris: [webRedirect], token_endpoint_auth_method: 'none' },
      oc.None(),
      { [oc.customFetch]: tunnel as oc.CustomFetch, algorithm: 'oauth2' },
    );
    other[oc.customFetch] = tunnel as oc.CustomFetch;
    const viaOther = await authorize({}, first.browser, other, webRedirect);
    expect(viaOther.first.html).toContain('Allow Other Assistant to order for you?');
    expect(viaOther.first.html).not.toContain('Your name');
    const back = await first.browser.submit(viaOther.first, 0);
    expect(decodeJwt((await exchange(back, viaOther, other)).access_token).sub).toBe(first.sub);

    // That assistant again: straight back with a code, neither form shown.
    const otherAgain = await authorize({}, first.browser, other, webRedirect);
    expect(otherAgain.first.url.origin + otherAgain.first.url.pathname).toBe(webRedirect);
    expect(decodeJwt((await exchange(otherAgain.first, otherAgain, other)).access_token).sub).toBe(first.sub);

    // A client that insists on a new sign-in (prompt=login): this browser may continue as itself.
    const forced = await authorize({ prompt: 'login' }, first.browser, other, webRedirect);
    expect(forced.first.html).toContain('Continue as Rita');
    const resumed = await first.browser.submit(forced.first, 0);
    expect(resumed.url.origin + resumed.url.pathname).toBe(webRedirect);
    expect(decodeJwt((await exchange(resumed, forced, other)).access_token).sub).toBe(first.sub);
    expect(customers()).toBe(before);
  });

  it('sends access_denied with iss back to the client when the customer denies', async () => {
    const { browser, first } = await authorize();
    const consent = await browser.submit(first, 0, { name: 'Bo', phone: '+15555550123' });
    const back = await browser.submit(consent, 1);
    expect(back.url.origin + back.url.pathname).toBe(REDIRECT);
    expect(back.url.searchParams.get('error')).toBe('access_denied');
    expect(back.url.searchParams.get('iss')).toBe(PUBLIC_URL);
  });

  it('refuses a form without the CSRF token', async () => {
    const { browser, first } = await authorize();
    const forged = await browser.go(`${first.url.href}/login`, {
      method: 'POST',
      body: 'name=Eve&phone=%2B15555550100',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(forged.status).toBe(403);
  });

  it('refuses an authorization request without PKCE, or with plain PKCE', async () => {
    const plain = { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' };
    for (const pkce of [{}, plain]) {
      const params = { redirect_uri: REDIRECT, scope: 'menu:read', state: 's', ...pkce };
      const res = await tunnel(oc.buildAuthorizationUrl(client, params).href);
      const location = new URL(res.headers.get('location') ?? '');
      expect(location.origin + location.pathname).toBe(REDIRECT);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('error_description')).toMatch(/PKCE|code_challenge/);
      expect(location.searchParams.get('code')).toBeNull();
    }
  });

  it('publishes Protected Resource Metadata for /mcp', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const res = await tunnel(`${PUBLIC_URL}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(await res.json()).toEqual({
        resource: RESOURCE,
        authorization_servers: [PUBLIC_URL],
        scopes_supported: ['menu:read', 'order:write'],
        bearer_methods_supported: ['header'],
      });
    }
  });

  it('keeps the signing key file private and refuses one others can read', async () => {
    const file = join(t.dataDir, SIGNING_KEYS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const dir = mkdtempSync(join(tmpdir(), 'counterpi-keys-'));
    try {
      const created = await loadOrCreateSigningKeys(dir);
      expect((await loadOrCreateSigningKeys(dir)).keys[0]?.kid).toBe(created.keys[0]?.kid);
      chmodSync(join(dir, SIGNING_KEYS_FILE), 0o644);
      await expect(loadOrCreateSigningKeys(dir)).rejects.toThrow(/chmod 600/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
