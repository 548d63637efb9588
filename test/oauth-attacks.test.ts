import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { decodeJwt } from 'jose';
import * as oc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationRequest, createBrowser, tunnelTo } from './helpers/oauth-browser.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

const RESOURCE = `${PUBLIC_URL}/mcp`;
const REDIRECT = 'https://assistant.example/oauth/callback';

/** A listener on loopback that counts every TCP connection made to it. */
async function countingListener() {
  let count = 0;
  const listener = createNetServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  return { listener, port: (listener.address() as AddressInfo).port, connections: () => count };
}

// PKCE missing or `plain` at /authorize is refused in oauth-flow.test.ts; a token in the query of
// /mcp in mcp-auth.test.ts. This file covers the rest of what an attacker would try.
describe('the authorization server refuses what an attacker tries', () => {
  let t: TestApp;
  let tunnel: typeof fetch;
  let client: oc.Configuration;

  beforeAll(async () => {
    t = await startTestApp();
    tunnel = tunnelTo(t.url);
    client = await oc.dynamicClientRegistration(
      new URL(PUBLIC_URL),
      { client_name: 'Honest Assistant', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' },
      oc.None(),
      { [oc.customFetch]: tunnel as oc.CustomFetch, algorithm: 'oauth2' },
    );
    client[oc.customFetch] = tunnel as oc.CustomFetch;
  });
  afterAll(async () => {
    await t.stop();
  });

  /** Signs a customer in and allows the client; returns where the browser was sent back, unexchanged. */
  async function authorizedCode(person: { name: string; phone: string }) {
    const browser = createBrowser(tunnel);
    const started = await authorizationRequest(client, REDIRECT);
    const consent = await browser.submit(await browser.go(started.url.href), 0, person);
    const back = await browser.submit(consent, 0);
    expect(back.url.origin + back.url.pathname).toBe(REDIRECT);
    return { ...started, back, browser };
  }

  const grantError = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (e: unknown) => (e instanceof oc.ResponseBodyError ? e.error : String(e)),
    );

  it('refuses client metadata nested 10,000 deep with invalid_client_metadata, not a 500, and registers nothing', async () => {
    const deep = `${'['.repeat(10_000)}"${REDIRECT}"${']'.repeat(10_000)}`;
    const before = t.app.store.db
      .prepare("SELECT count(*) AS n FROM oauth_store WHERE model = 'Client'")
      .get();
    const res = await tunnel(`${PUBLIC_URL}/oauth/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"client_name":"Deep","token_endpoint_auth_method":"none","redirect_uris":${deep}}`,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client_metadata' });
    const after = t.app.store.db
      .prepare("SELECT count(*) AS n FROM oauth_store WHERE model = 'Client'")
      .get();
    expect(after).toEqual(before);
  });

  it('answers an unregistered or altered redirect_uri with an error page, never a redirect', async () => {
    const attempts = [
      'https://evil.example/oauth/callback',
      'https://assistant.example.evil.example/oauth/callback',
      'https://assistant.example/oauth/callback/',
      'https://assistant.example/oauth/callback/../../steal',
      'https://assistant.example/oauth/callback?next=https://evil.example',
      'https://assistant.example:8443/oauth/callback',
      'http://assistant.example/oauth/callback',
    ];
    for (const redirect of attempts) {
      const { url } = await authorizationRequest(client, redirect);
      const res = await tunnel(url.href);
      expect(res.status, redirect).toBe(400);
      expect(res.headers.get('location'), redirect).toBeNull();
      const html = await res.text();
      expect(html).toContain('Sign-in problem');
      expect(html).toMatch(/redirect_uri/);
    }
  });

  it('refuses a second exchange of a code and revokes what the first one issued', async () => {
    const { back, verifier, state } = await authorizedCode({ name: 'Olu', phone: '+2348012345678' });
    const checks = { pkceCodeVerifier: verifier, expectedState: state };
    const first = await oc.authorizationCodeGrant(client, back.url, checks, { resource: RESOURCE });
    expect(first.refresh_token).toBeTruthy();

    expect(
      await grantError(oc.authorizationCodeGrant(client, back.url, checks, { resource: RESOURCE })),
    ).toBe('invalid_grant');
    // RFC 6749 §4.1.2: the replay revokes the grant, so the refresh token from the first exchange is dead.
    expect(await grantError(oc.refreshTokenGrant(client, first.refresh_token ?? ''))).toBe('invalid_grant');
  });

  it('refuses a code exchanged with the wrong PKCE verifier, or none', async () => {
    const { back, verifier, state } = await authorizedCode({ name: 'Pia', phone: '+4915112345678' });
    const wrong = oc.randomPKCECodeVerifier();
    expect(
      await grantError(
        oc.authorizationCodeGrant(client, back.url, { pkceCodeVerifier: wrong, expectedState: state }),
      ),
    ).toBe('invalid_grant');
    // Without a verifier the client library refuses to even ask; send the request by hand.
    const bare = await tunnel(`${PUBLIC_URL}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.url.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT,
        client_id: client.clientMetadata().client_id,
      }).toString(),
    });
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as { error: string }).error).toBe('invalid_grant');
    // A failed check does not use the code up: the client holding the verifier still gets its tokens.
    const tokens = await oc.authorizationCodeGrant(client, back.url, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(decodeJwt(tokens.access_token).aud).toBe(RESOURCE);
  });

  it('never recognises a customer by a typed phone number: another browser gets another identity', async () => {
    const person = { name: 'Mo', phone: '+15555550177' };
    const owner = await authorizedCode(person);
    const ownerSub = decodeJwt(
      (
        await oc.authorizationCodeGrant(client, owner.back.url, {
          pkceCodeVerifier: owner.verifier,
          expectedState: owner.state,
        })
      ).access_token,
    ).sub;

    // Someone else types the same name and phone in their own browser.
    const thief = await authorizedCode(person);
    const thiefSub = decodeJwt(
      (
        await oc.authorizationCodeGrant(client, thief.back.url, {
          pkceCodeVerifier: thief.verifier,
          expectedState: thief.state,
        })
      ).access_token,
    ).sub;
    expect(thiefSub).not.toBe(ownerSub);
    const rows = t.app.store.db
      .prepare('SELECT subject FROM customers WHERE phone = ? ORDER BY created_at')
      .all(person.phone) as { subject: string }[];
    expect(rows.map((r) => r.subject).sort()).toEqual([ownerSub, thiefSub].sort());
  });

  it('ignores "continue as" from a browser that has no sign-in session of its own', async () => {
    const browser = createBrowser(tunnel);
    const { url } = await authorizationRequest(client, REDIRECT, { prompt: 'login' });
    const signIn = await browser.go(url.href);
    expect(signIn.html).not.toContain('Continue as');
    const forged = await browser.submit(signIn, 0, { returning: '1' });
    expect(forged.status).toBe(400);
    expect(forged.url.origin).toBe(PUBLIC_URL);
    expect(forged.html).toContain('Please enter your name.');
  });

  it('refuses to register a jwks_uri or sector_identifier_uri on this machine or the local network, and never connects to it', async () => {
    const { listener, port, connections } = await countingListener();
    const register = (metadata: Record<string, string>) =>
      tunnel(`${PUBLIC_URL}/oauth/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: [REDIRECT], ...metadata }),
      });
    try {
      const uris = [
        `https://127.0.0.1:${port}/jwks`,
        `https://localhost:${port}/jwks`,
        `https://[::ffff:127.0.0.1]:${port}/jwks`,
        `https://[::1]:${port}/jwks`,
        'https://10.0.0.7/jwks',
        'https://192.168.1.1/jwks',
        'https://169.254.169.254/latest/jwks',
        'https://[fd00::1]/jwks',
        'https://[fe80::1]/jwks',
        `http://127.0.0.1:${port}/jwks`,
        'http://keys.example/jwks',
      ];
      for (const uri of uris) {
        const attempts = {
          jwks_uri: { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: uri },
          // oidc-provider fetches a sector identifier document while it registers the client.
          sector_identifier_uri: { token_endpoint_auth_method: 'none', sector_identifier_uri: uri },
        };
        for (const [key, metadata] of Object.entries(attempts)) {
          const res = await register(metadata);
          const body = (await res.json()) as { error: string; error_description: string };
          expect(res.status, `${key} ${uri}`).toBe(400);
          expect(body.error, `${key} ${uri}`).toBe('invalid_client_metadata');
          expect(body.error_description, `${key} ${uri}`).toMatch(new RegExp(`^${key} `));
        }
      }
      // Give a connection the provider might make in the background the time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(connections()).toBe(0);
    } finally {
      listener.close();
    }
  });
});

describe('a client metadata URL whose name points at this machine', () => {
  it('gets no connection at all: every address of the name is checked before connecting', async () => {
    const { listener, port, connections } = await countingListener();
    // The name is public as far as registration can tell; its DNS answer is loopback.
    const asked: string[] = [];
    const t = await startTestApp({
      oauth: {
        resolve: async (hostname) => {
          asked.push(hostname);
          return [{ address: '127.0.0.1', family: 4 }];
        },
      },
    });
    try {
      const res = await tunnelTo(t.url)(`${PUBLIC_URL}/oauth/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: [REDIRECT],
          token_endpoint_auth_method: 'none',
          sector_identifier_uri: `https://sector.example:${port}/redirects.json`,
        }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_client_metadata');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(asked).toEqual(['sector.example']);
      expect(connections()).toBe(0);
    } finally {
      listener.close();
      await t.stop();
    }
  });
});
