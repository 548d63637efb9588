import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { decodeJwt, exportJWK, generateKeyPair, type JWK } from 'jose';
import * as oc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIMD_HOSTS } from '../src/auth/provider-configuration.js';
import { loadConfig } from '../src/config/config.js';
import { type Counterpi, startCounterpi } from '../src/main.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { authorizationRequest, createBrowser, tunnelTo } from './helpers/oauth-browser.js';
import { PUBLIC_URL } from './helpers/start-app.js';

const RESOURCE = `${PUBLIC_URL}/mcp`;
// A Claude-shaped Client ID Metadata Document: a public client (no client authentication).
const CLAUDE_ID = 'https://claude.test/oauth/mcp-client-metadata';
const CLAUDE_CALLBACK = 'https://claude.test/api/mcp/auth_callback';
const CLAUDE = {
  client_id: CLAUDE_ID,
  client_name: 'Claude',
  redirect_uris: [CLAUDE_CALLBACK],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};
// A ChatGPT-shaped one, on its real host (the default allowlist): private_key_jwt with keys at a jwks_uri.
const CHATGPT_ID = 'https://chatgpt.com/oauth/app_test123/client.json';
const CHATGPT_CALLBACK = 'https://chatgpt.com/connector/oauth/app_test123';
const CHATGPT_JWKS = 'https://chatgpt.com/oauth/jwks.json';
const CHATGPT = {
  client_id: CHATGPT_ID,
  client_name: 'ChatGPT',
  redirect_uris: [CHATGPT_CALLBACK],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'private_key_jwt',
  jwks_uri: CHATGPT_JWKS,
};
// A Claude Code-shaped one: a command-line client listening on loopback, on a port the OS picks each time.
const CLI_ID = 'https://claude.test/oauth/claude-code-client-metadata';
const CLI = {
  client_id: CLI_ID,
  client_name: 'Claude Code',
  redirect_uris: ['http://localhost/callback', 'http://127.0.0.1/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};
// Same host, but its keys elsewhere: refused, the jwks_uri would be fetched from a host nobody vetted.
const OFFSITE_KEYS_ID = 'https://chatgpt.com/oauth/app_offsite/client.json';

describe('Client ID Metadata Documents', () => {
  let app: Counterpi;
  let dataDir: string;
  let tunnel: typeof fetch;
  let chatgptKey: oc.CryptoKey;
  const fetched: string[] = [];

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    chatgptKey = pair.privateKey;
    const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'chatgpt-1', alg: 'RS256' } as JWK] };
    const offsite = {
      ...CHATGPT,
      client_id: OFFSITE_KEYS_ID,
      jwks_uri: 'https://keys.example/jwks.json',
    };
    // The documents are served by the test, in place of the network.
    const documents = new Map<string, unknown>([
      [CLAUDE_ID, CLAUDE],
      [CLI_ID, CLI],
      [CHATGPT_ID, CHATGPT],
      [CHATGPT_JWKS, jwks],
      [OFFSITE_KEYS_ID, offsite],
      ['https://keys.example/jwks.json', jwks],
    ]);
    dataDir = mkdtempSync(join(tmpdir(), 'counterpi-cimd-'));
    // No test resolver: /mcp checks the issued tokens as it does in production.
    app = await startCounterpi(
      loadConfig({ DATA_DIR: dataDir, PORT: '0', PUBLIC_URL, LOG_LEVEL: 'silent' }),
      {
        log: createSilentLogger(),
        oauth: {
          cimdHosts: new Set([...CIMD_HOSTS, 'claude.test']),
          fetch: async (input: string | URL | Request) => {
            const url = input instanceof Request ? input.url : String(input);
            fetched.push(url);
            const body = documents.get(url);
            if (body === undefined) return new Response('not found', { status: 404 });
            return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
          },
        },
      },
    );
    tunnel = tunnelTo(app.url);
  });
  afterAll(async () => {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function authorize(clientId: string, redirect: string, auth: oc.ClientAuth = oc.None()) {
    const method = clientId === CHATGPT_ID ? 'private_key_jwt' : 'none';
    const config = await oc.discovery(
      new URL(PUBLIC_URL),
      clientId,
      { token_endpoint_auth_method: method },
      auth,
      { [oc.customFetch]: tunnel as oc.CustomFetch, algorithm: 'oauth2' },
    );
    config[oc.customFetch] = tunnel as oc.CustomFetch;
    const { verifier, state, url } = await authorizationRequest(config, redirect);
    const browser = createBrowser(tunnel);
    /** The token request for the code the browser came back with, as the client sends it. */
    const redeem = (back: URL) =>
      oc.authorizationCodeGrant(
        config,
        back,
        { pkceCodeVerifier: verifier, expectedState: state },
        { resource: RESOURCE },
      );
    return { config, verifier, state, browser, redeem, first: await browser.go(url.href) };
  }

  it('lets a client named by its metadata URL sign a customer in without registering', async () => {
    const { browser, redeem, first } = await authorize(CLAUDE_ID, CLAUDE_CALLBACK);
    expect(first.html).toContain('Sign in to order');
    const consent = await browser.submit(first, 0, { name: 'Grace', phone: '+1 555 010 0199' });
    expect(consent.html).toContain('Allow Claude to order for you?');
    expect(consent.html).toContain('claude.test');
    const back = await browser.submit(consent, 0);
    expect(back.url.origin + back.url.pathname).toBe(CLAUDE_CALLBACK);
    const tokens = await redeem(back.url);
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      client_id: CLAUDE_ID,
      aud: RESOURCE,
      iss: PUBLIC_URL,
    });
    expect(fetched).toContain(CLAUDE_ID);
  });

  it('signs a customer in for a ChatGPT-shaped client that authenticates with private_key_jwt, then orders over MCP', async () => {
    const auth = oc.PrivateKeyJwt({ key: chatgptKey, kid: 'chatgpt-1' });
    const { config, verifier, state, browser, redeem, first } = await authorize(
      CHATGPT_ID,
      CHATGPT_CALLBACK,
      auth,
    );
    const consent = await browser.submit(first, 0, { name: 'Ines', phone: '+33 6 12 34 56 78' });
    expect(consent.html).toContain('Allow ChatGPT to order for you?');
    expect(consent.html).toContain('chatgpt.com');
    const back = await browser.submit(consent, 0);
    expect(back.url.origin + back.url.pathname).toBe(CHATGPT_CALLBACK);
    expect(back.url.searchParams.get('iss')).toBe(PUBLIC_URL);

    // The same exchange without the client's key is refused, and does not use the code up.
    const { privateKey: stranger } = await generateKeyPair('RS256');
    const impostor = new oc.Configuration(
      config.serverMetadata(),
      CHATGPT_ID,
      {},
      oc.PrivateKeyJwt(stranger),
    );
    impostor[oc.customFetch] = tunnel as oc.CustomFetch;
    const refused = await oc
      .authorizationCodeGrant(impostor, back.url, { pkceCodeVerifier: verifier, expectedState: state })
      .catch((e: unknown) => e);
    expect((refused as oc.ResponseBodyError).error).toBe('invalid_client');

    const tokens = await redeem(back.url);
    expect(decodeJwt(tokens.access_token)).toMatchObject({ client_id: CHATGPT_ID, aud: RESOURCE });
    expect(fetched).toEqual(expect.arrayContaining([CHATGPT_ID, CHATGPT_JWKS]));
    const refreshed = await oc.refreshTokenGrant(config, tokens.refresh_token ?? '');

    const client = new Client({ name: 'chatgpt-shaped', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(RESOURCE), {
        fetch: tunnel,
        requestInit: { headers: { authorization: `Bearer ${refreshed.access_token}` } },
      }),
    );
    const created = (await client.callTool({
      name: 'create_order',
      arguments: { idempotency_key: randomUUID(), lines: [{ item_id: 'cola', quantity: 1 }] },
    })) as { isError?: boolean; structuredContent?: { order_id: string; customer: { name?: string } } };
    await client.close();
    expect(created.isError).toBeFalsy();
    expect(created.structuredContent?.customer.name).toBe('Ines');
    const owner = app.store.db
      .prepare('SELECT c.subject FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = ?')
      .get(created.structuredContent?.order_id) as { subject: string } | undefined;
    expect(owner?.subject).toBe(decodeJwt(tokens.access_token).sub);
  });

  it('accepts a loopback redirect the document lists on any port, the path as listed (RFC 8252 §7.3)', async () => {
    for (const redirect of ['http://127.0.0.1:53682/callback', 'http://localhost:61023/callback']) {
      const { browser, redeem, first } = await authorize(CLI_ID, redirect);
      const consent = await browser.submit(first, 0, { name: 'Linus', phone: '+1 555 010 0177' });
      expect(consent.html).toContain('Allow Claude Code to order for you?');
      const back = await browser.submit(consent, 0);
      expect(back.url.origin + back.url.pathname).toBe(redirect);
      const tokens = await redeem(back.url);
      expect(decodeJwt(tokens.access_token)).toMatchObject({ client_id: CLI_ID, aud: RESOURCE });
    }
    const otherPath = await authorize(CLI_ID, 'http://127.0.0.1:53682/elsewhere');
    expect(otherPath.first.url.origin).toBe(PUBLIC_URL);
    expect(otherPath.first.status).toBe(400);
    expect(otherPath.first.html).toMatch(/redirect_uri/);
  });

  it('refuses a redirect the document does not list, and a document host not on the allowlist', async () => {
    const wrongRedirect = await authorize(CLAUDE_ID, 'https://evil.example/cb');
    expect(wrongRedirect.first.url.origin).toBe(PUBLIC_URL);
    expect(wrongRedirect.first.status).toBe(400);
    expect(wrongRedirect.first.html).toMatch(/redirect_uri/);

    const before = fetched.length;
    const elsewhere = await authorize('https://evil.example/metadata.json', 'https://evil.example/cb');
    expect(elsewhere.first.status).toBe(400);
    expect(elsewhere.first.html).toMatch(/invalid_client/);
    expect(fetched.length).toBe(before);
  });

  it('refuses a document whose jwks_uri is on another host than the document', async () => {
    const offsite = await authorize(OFFSITE_KEYS_ID, CHATGPT_CALLBACK);
    expect(offsite.first.url.origin).toBe(PUBLIC_URL);
    expect(offsite.first.status).toBe(400);
    expect(offsite.first.html).toMatch(/invalid_client/);
    expect(fetched).toContain(OFFSITE_KEYS_ID);
    expect(fetched).not.toContain('https://keys.example/jwks.json');
  });
});
