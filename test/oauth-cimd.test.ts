import { decodeJwt } from 'jose';
import * as oc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationRequest, createBrowser, tunnelTo } from './helpers/oauth-browser.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

const RESOURCE = `${PUBLIC_URL}/mcp`;
// A Claude-shaped Client ID Metadata Document, served by the test instead of the network.
const CLIENT_ID = 'https://claude.test/oauth/mcp-client-metadata';
const CALLBACK = 'https://claude.test/api/mcp/auth_callback';
const DOCUMENT = {
  client_id: CLIENT_ID,
  client_name: 'Claude',
  redirect_uris: [CALLBACK],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};

describe('Client ID Metadata Documents', () => {
  let t: TestApp;
  let tunnel: typeof fetch;
  const fetched: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      oauth: {
        cimdHosts: new Set(['claude.test']),
        fetch: async (input: string | URL | Request) => {
          const url = input instanceof Request ? input.url : String(input);
          fetched.push(url);
          if (url !== CLIENT_ID) return new Response('not found', { status: 404 });
          return new Response(JSON.stringify(DOCUMENT), { headers: { 'content-type': 'application/json' } });
        },
      },
    });
    tunnel = tunnelTo(t.url);
  });
  afterAll(async () => {
    await t.stop();
  });

  async function authorize(clientId: string, redirect: string) {
    const config = await oc.discovery(
      new URL(PUBLIC_URL),
      clientId,
      { token_endpoint_auth_method: 'none' },
      oc.None(),
      {
        [oc.customFetch]: tunnel as oc.CustomFetch,
        algorithm: 'oauth2',
      },
    );
    config[oc.customFetch] = tunnel as oc.CustomFetch;
    const { verifier, state, url } = await authorizationRequest(config, redirect);
    const browser = createBrowser(tunnel);
    return { config, verifier, state, browser, first: await browser.go(url.href) };
  }

  it('lets a client named by its metadata URL sign a customer in without registering', async () => {
    const { config, verifier, state, browser, first } = await authorize(CLIENT_ID, CALLBACK);
    expect(first.html).toContain('Sign in to order');
    const consent = await browser.submit(first, 0, { name: 'Grace', phone: '+1 555 010 0199' });
    expect(consent.html).toContain('Allow Claude to order for you?');
    expect(consent.html).toContain('claude.test');
    const back = await browser.submit(consent, 0);
    expect(back.url.origin + back.url.pathname).toBe(CALLBACK);
    const tokens = await oc.authorizationCodeGrant(
      config,
      back.url,
      { pkceCodeVerifier: verifier, expectedState: state },
      { resource: RESOURCE },
    );
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      client_id: CLIENT_ID,
      aud: RESOURCE,
      iss: PUBLIC_URL,
    });
    expect(fetched).toContain(CLIENT_ID);
  });

  it('refuses a redirect the document does not list, and a document host not on the allowlist', async () => {
    const wrongRedirect = await authorize(CLIENT_ID, 'https://evil.example/cb');
    expect(wrongRedirect.first.url.origin).toBe(PUBLIC_URL);
    expect(wrongRedirect.first.status).toBe(400);
    expect(wrongRedirect.first.html).toMatch(/redirect_uri/);

    const before = fetched.length;
    const elsewhere = await authorize('https://evil.example/metadata.json', 'https://evil.example/cb');
    expect(elsewhere.first.status).toBe(400);
    expect(elsewhere.first.html).toMatch(/invalid_client/);
    expect(fetched.length).toBe(before);
  });
});
