import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintAccessToken } from '../src/auth/access-token.js';
import { loadOrCreateSigningKeys, type SigningKeys } from '../src/auth/key-files.js';
import type { Counterpi } from '../src/main.js';
import { createManualClock } from '../src/platform/clock.js';
import { createTestAcpKey } from './helpers/acp-client.js';
import { ACP_VERSION } from './helpers/acp-schemas.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

const clock = createManualClock('2026-11-24T17:00:00Z');
let t: TestApp;
let app: Counterpi;
let keys: SigningKeys;

beforeAll(async () => {
  // The real resolver: no test override, tokens verified against the keys in the data dir.
  t = await startTestApp({ clock, bearerTokens: true });
  app = t.app;
  keys = await loadOrCreateSigningKeys(t.dataDir);
});
afterAll(async () => {
  await t.stop();
});

const token = (over: Partial<Parameters<typeof mintAccessToken>[0]> = {}) =>
  mintAccessToken({
    publicUrl: PUBLIC_URL,
    signingKeys: keys,
    subject: 'cus_signed_in',
    scopes: ['menu:read', 'order:write'],
    clientId: 'test-client',
    now: clock.now(),
    ttlSeconds: 600,
    ...over,
  });

const list = (authorization?: string) =>
  fetch(`${app.url}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });

describe('/mcp requires a customer access token', () => {
  it('answers 401 with where to sign in when there is no token', async () => {
    const res = await list();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${PUBLIC_URL}/.well-known/oauth-protected-resource/mcp", scope="menu:read order:write"`,
    );
  });

  it('answers POST /mcp/ (a trailing slash, a query aside) as /mcp: 401 with the challenge (RFC 9728 §5.1)', async () => {
    for (const path of ['/mcp/', '/mcp/?from=inspector']) {
      const res = await fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate'), path).toContain(
        `resource_metadata="${PUBLIC_URL}/.well-known/oauth-protected-resource/mcp"`,
      );
    }
  });

  it('refuses tokens for another audience or issuer, expired, unsigned or signed by another key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const foreign = await new SignJWT({ scope: 'menu:read order:write' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer(PUBLIC_URL)
      .setAudience(`${PUBLIC_URL}/mcp`)
      .setSubject('cus_x')
      .setExpirationTime('10m')
      .sign(privateKey);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ iss: PUBLIC_URL, aud: `${PUBLIC_URL}/mcp`, sub: 'cus_x', exp: 4102444800 }),
    ).toString('base64url')}.`;
    const bad = [
      await token({ publicUrl: 'https://other.example.com' }),
      await token({ now: new Date(clock.now().getTime() - 3600_000) }),
      foreign,
      unsigned,
      'not-a-jwt',
    ];
    for (const t of bad) expect((await list(`Bearer ${t}`)).status).toBe(401);
    // A token in the query string is not a bearer token.
    const inQuery = await fetch(`${app.url}/mcp?access_token=${await token()}`, { method: 'POST' });
    expect(inQuery.status).toBe(401);
  });

  it('lets a signed-in customer order with the MCP SDK client, under their own subject', async () => {
    const client = new Client({ name: 'auth-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${app.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${await token()}` } },
      }),
    );
    const created = (await client.callTool({
      name: 'create_order',
      arguments: {
        idempotency_key: randomUUID(),
        lines: [{ item_id: 'fries', quantity: 1 }],
        customer_name: 'Ada',
      },
    })) as { isError?: boolean; structuredContent?: Record<string, unknown> };
    expect(created.isError).toBeFalsy();
    const owner = app.store.db
      .prepare('SELECT c.subject FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = ?')
      .get(created.structuredContent?.order_id) as { subject: string } | undefined;
    expect(owner?.subject).toBe('cus_signed_in');
    await client.close();
  });

  it('asks for more scope (403 insufficient_scope) when a read-only token tries to order', async () => {
    const readOnly = await token({ scopes: ['menu:read'] });
    expect((await list(`Bearer ${readOnly}`)).status).toBe(200);
    const res = await fetch(`${app.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
        authorization: `Bearer ${readOnly}`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'create_order', arguments: { idempotency_key: randomUUID(), lines: [] } },
      }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });
});

describe('the Authorization scheme is case-insensitive (RFC 7235 §2.1)', () => {
  const schemes = ['Bearer', 'bearer', 'BEARER'];

  it('takes an access token on /mcp under any case of "Bearer"', async () => {
    const access = await token();
    for (const scheme of schemes) {
      const res = await list(`${scheme} ${access}`);
      expect(res.status, scheme).toBe(200);
    }
    expect((await list(`Basic ${access}`)).status).toBe(401);
  });

  it('takes an ACP API key on the REST API and on /acp/mcp under any case of "Bearer"', async () => {
    const { secret } = createTestAcpKey(t.dataDir);
    for (const scheme of schemes) {
      const rest = await fetch(`${app.url}/checkout_sessions/cs_none`, {
        headers: { authorization: `${scheme} ${secret}`, 'api-version': ACP_VERSION },
      });
      expect(rest.status, scheme).toBe(404);
      const binding = await fetch(`${app.url}/acp/mcp`, {
        method: 'POST',
        headers: {
          authorization: `${scheme} ${secret}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-06-18',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(binding.status, scheme).toBe(200);
    }
  });
});
