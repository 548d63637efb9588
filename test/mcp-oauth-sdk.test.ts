import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Client,
  type OAuthClientProvider,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import type { OAuthClientProvider as OAuthClientProviderV1 } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { type Counterpi, startCounterpi } from '../src/main.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { createBrowser, tunnelTo } from './helpers/oauth-browser.js';
import { PUBLIC_URL } from './helpers/start-app.js';

const REDIRECT = 'http://127.0.0.1:53999/oauth/callback';
let app: Counterpi;
let dataDir: string;
let tunnel: typeof fetch;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'counterpi-mcp-oauth-'));
  // No test resolver: the real bearer check, as an assistant meets it behind the tunnel.
  app = await startCounterpi(loadConfig({ DATA_DIR: dataDir, PORT: '0', PUBLIC_URL, LOG_LEVEL: 'silent' }), {
    log: createSilentLogger(),
  });
  tunnel = tunnelTo(app.url);
});
afterAll(async () => {
  await app.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** An assistant's side of OAuth: remembers what the SDK hands it; "opens the browser" by posting our forms. */
function assistantProvider(person: { name: string; phone: string }) {
  let info: StoredOAuthClientInformation | undefined;
  let tokens: StoredOAuthTokens | undefined;
  let verifier = '';
  const state: { callback?: URL } = {};
  const provider: OAuthClientProvider = {
    get redirectUrl() {
      return REDIRECT;
    },
    get clientMetadata() {
      return {
        client_name: 'SDK Assistant',
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      };
    },
    clientInformation: () => info,
    saveClientInformation: (value) => {
      info = value;
    },
    tokens: () => tokens,
    saveTokens: (value) => {
      tokens = value;
    },
    saveCodeVerifier: (value) => {
      verifier = value;
    },
    codeVerifier: () => verifier,
    async redirectToAuthorization(url) {
      const browser = createBrowser(tunnel);
      const signIn = await browser.go(url.href);
      const consent = await browser.submit(signIn, 0, person);
      state.callback = (await browser.submit(consent, 0)).url;
    },
  };
  return { provider, state, tokens: () => tokens };
}

describe('the MCP SDK v2 client signs in through the whole OAuth flow', () => {
  it('discovers, registers, signs the customer in, and orders under their identity', async () => {
    const assistant = assistantProvider({ name: 'Lin', phone: '+1 555 010 0142' });
    const endpoint = new URL(`${PUBLIC_URL}/mcp`);
    const first = new Client({ name: 'sdk-oauth-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(endpoint, {
      authProvider: assistant.provider,
      fetch: tunnel,
    });
    await expect(first.connect(transport)).rejects.toThrow(/unauthorized/i);
    const callback = assistant.state.callback;
    expect(callback?.origin + (callback?.pathname ?? '')).toBe(REDIRECT);
    expect(callback?.searchParams.get('iss')).toBe(PUBLIC_URL);
    await transport.finishAuth(callback?.searchParams ?? new URLSearchParams());

    const client = new Client({ name: 'sdk-oauth-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(endpoint, { authProvider: assistant.provider, fetch: tunnel }),
    );
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('create_order');
    const created = (await client.callTool({
      name: 'create_order',
      arguments: { idempotency_key: randomUUID(), lines: [{ item_id: 'cola', quantity: 1 }] },
    })) as { isError?: boolean; structuredContent?: { order_id: string; customer: { name?: string } } };
    expect(created.isError).toBeFalsy();
    // The name given at sign-in is the order's name: the shop knows who is ordering.
    expect(created.structuredContent?.customer.name).toBe('Lin');
    const sub = decodeJwt(assistant.tokens()?.access_token ?? '').sub;
    const owner = app.store.db
      .prepare('SELECT c.subject FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = ?')
      .get(created.structuredContent?.order_id) as { subject: string } | undefined;
    expect(owner?.subject).toBe(sub);
    await client.close();
  });
});

describe('the v1 SDK client and its auth() flow', () => {
  it('registers, signs in, exchanges the code and lists the tools', async () => {
    const assistant = assistantProvider({ name: 'Noor', phone: '+44 7700 900456' });
    // The v1 provider interface is the same shape; only finishAuth takes the code instead of the query.
    const provider = assistant.provider as unknown as OAuthClientProviderV1;
    const endpoint = new URL(`${PUBLIC_URL}/mcp`);
    const transport = new TransportV1(endpoint, { authProvider: provider, fetch: tunnel });
    await expect(
      new ClientV1({ name: 'v1-oauth-test', version: '1.0.0' }).connect(transport),
    ).rejects.toThrow(/unauthorized/i);
    await transport.finishAuth(assistant.state.callback?.searchParams.get('code') ?? '');
    const client = new ClientV1({ name: 'v1-oauth-test', version: '1.0.0' });
    await client.connect(new TransportV1(endpoint, { authProvider: provider, fetch: tunnel }));
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('place_order');
    expect(decodeJwt(assistant.tokens()?.access_token ?? '').aud).toBe(`${PUBLIC_URL}/mcp`);
    await client.close();
  });
});
