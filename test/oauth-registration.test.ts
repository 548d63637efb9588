import { decodeJwt } from 'jose';
import * as oc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationRequest, createBrowser, type Landing, tunnelTo } from './helpers/oauth-browser.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

const RESOURCE = `${PUBLIC_URL}/mcp`;

// Registered clients as desktop and command-line assistants register them: a loopback redirect URI
// without a port (or with one), then a redirect on whatever port the OS gave their listener.
describe('Client registration', () => {
  let t: TestApp;
  let tunnel: typeof fetch;

  beforeAll(async () => {
    t = await startTestApp({ bearerTokens: true });
    tunnel = tunnelTo(t.url);
  });
  afterAll(async () => {
    await t.stop();
  });

  const register = (metadata: Record<string, unknown>) =>
    tunnel(`${PUBLIC_URL}/oauth/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token_endpoint_auth_method: 'none', ...metadata }),
    });

  /** A client registered through openid-client, with these redirect URIs. */
  async function client(redirectUris: string[]): Promise<oc.Configuration> {
    const config = await oc.dynamicClientRegistration(
      new URL(PUBLIC_URL),
      { client_name: 'Desktop Assistant', redirect_uris: redirectUris, token_endpoint_auth_method: 'none' },
      oc.None(),
      { [oc.customFetch]: tunnel as oc.CustomFetch, algorithm: 'oauth2' },
    );
    config[oc.customFetch] = tunnel as oc.CustomFetch;
    return config;
  }

  /** Signs a new customer in with PKCE on `redirect` and comes back there; the landing and what to exchange it with. */
  async function signInVia(config: oc.Configuration, redirect: string) {
    const started = await authorizationRequest(config, redirect);
    const browser = createBrowser(tunnel);
    const first = await browser.go(started.url.href);
    expect(first.html).toContain('Sign in to order');
    const consent = await browser.submit(first, 0, { name: 'Desk Top', phone: '+15555550142' });
    const back = await browser.submit(consent, 0);
    return { ...started, back };
  }

  /** The code exchange, presenting `redirect` as the token request's redirect_uri (RFC 6749 §4.1.3). */
  const exchange = (
    config: oc.Configuration,
    signedIn: { back: Landing; verifier: string; state: string },
    redirect: string,
  ) => {
    const url = new URL(redirect);
    url.search = signedIn.back.url.search;
    return oc.authorizationCodeGrant(
      config,
      url,
      { pkceCodeVerifier: signedIn.verifier, expectedState: signedIn.state },
      { resource: RESOURCE },
    );
  };

  /** Where an authorization request with `redirect` first lands: a code's way back, or our error page. */
  async function firstLanding(config: oc.Configuration, redirect: string): Promise<Landing> {
    return createBrowser(tunnel).go((await authorizationRequest(config, redirect)).url.href);
  }

  it('accepts any port on a loopback redirect registered without one (RFC 8252 §7.3, RFC 9700 §4.1.3), and the token request must repeat it exactly', async () => {
    const config = await client(['http://127.0.0.1/callback']);
    // RFC 8252 §8.6: a loopback client cannot prove who it is, so it is a native client, asked for consent each time.
    expect(config.clientMetadata().application_type).toBe('native');
    const redirect = 'http://127.0.0.1:53682/callback';
    const signedIn = await signInVia(config, redirect);
    expect(signedIn.back.url.origin + signedIn.back.url.pathname).toBe(redirect);
    expect(signedIn.back.url.searchParams.get('code')).toBeTruthy();

    // RFC 6749 §4.1.3: the token request names the authorization's redirect_uri, port included.
    const otherPort = await exchange(config, signedIn, 'http://127.0.0.1:53683/callback').catch(
      (e: unknown) => e,
    );
    expect(otherPort).toBeInstanceOf(oc.ResponseBodyError);
    expect((otherPort as oc.ResponseBodyError).error).toBe('invalid_grant');

    // The mismatch does not spend the code (oidc-provider checks it before consuming): the right one works.
    const tokens = await exchange(config, signedIn, redirect);
    expect(decodeJwt(tokens.access_token)).toMatchObject({ aud: RESOURCE, scope: 'menu:read order:write' });
  });

  it('accepts any port for localhost and [::1] as registered, and for a loopback redirect registered with a port', async () => {
    for (const [registered, used] of [
      ['http://localhost/callback', 'http://localhost:53682/callback'],
      ['http://[::1]/callback', 'http://[::1]:61023/callback'],
      ['http://127.0.0.1:8080/oauth/callback', 'http://127.0.0.1:53682/oauth/callback'],
    ] as const) {
      const config = await client([registered]);
      const signedIn = await signInVia(config, used);
      expect(signedIn.back.url.origin + signedIn.back.url.pathname).toBe(used);
      const tokens = await exchange(config, signedIn, used);
      expect(decodeJwt(tokens.access_token).aud).toBe(RESOURCE);
    }
  });

  it('still requires the registered scheme, host and path of a loopback redirect, and an exact match elsewhere (RFC 8252 §7.3, RFC 9700 §4.1.3)', async () => {
    const loopback = await client(['http://127.0.0.1/callback']);
    const web = await client(['https://assistant.example/callback']);
    for (const [config, redirect] of [
      [loopback, 'http://127.0.0.1:53682/other'],
      [loopback, 'http://localhost:53682/callback'],
      [loopback, 'http://[::1]:53682/callback'],
      [loopback, 'https://127.0.0.1:53682/callback'],
      [loopback, 'http://127.0.0.2:53682/callback'],
      [web, 'https://assistant.example:8443/callback'],
    ] as const) {
      const landing = await firstLanding(config, redirect);
      expect(landing.url.origin, redirect).toBe(PUBLIC_URL);
      expect(landing.status, redirect).toBe(400);
      expect(landing.html, redirect).toContain('redirect_uri');
    }
    expect(web.clientMetadata().application_type).toBe('web');
  });

  it('registers a client asking for scopes it does not serve with those it does (RFC 7591 §2)', async () => {
    const res = await register({
      redirect_uris: ['http://127.0.0.1/callback'],
      scope: 'menu:read order:write offline_access profile',
    });
    expect(res.status).toBe(201);
    const registered = (await res.json()) as { client_id: string; scope?: string };
    // The response carries the scope actually registered, so the client sees what was dropped.
    expect(registered.scope).toBe('menu:read order:write');

    const none = await register({ redirect_uris: ['http://127.0.0.1/callback'], scope: 'profile email' });
    expect(none.status).toBe(201);
    // Nothing served was asked for: no scope is registered, so the client may ask for any served scope.
    expect(((await none.json()) as { scope?: string }).scope).toBeUndefined();
  });
});
