import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import * as oc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolAnswer } from './helpers/mcp-answer.js';
import { tunnelTo, viaAddress } from './helpers/oauth-browser.js';
import { phoneBrowser } from './helpers/phone-browser.js';
import { PUBLIC_URL, startTestApp, TEST_CUSTOMER_HEADER, type TestApp } from './helpers/start-app.js';

const CIBA = 'urn:openid:params:grant-type:ciba';
const RESOURCE = `${PUBLIC_URL}/mcp`;
const SCOPE = 'openid menu:read order:write';

type Structured = Record<string, unknown> & {
  order_id: string;
  code: string;
  status: string;
  confirmation_url?: string;
  confirmation?: { binding_message: string };
};
type CallResult = ToolAnswer<Structured>;

let t: TestApp;
let tunnel: typeof fetch;
let client: oc.Configuration;

/** A confidential client registered for CIBA poll mode, as a CIBA client registers itself. */
function registerCibaClient(fetcher: typeof fetch): Promise<oc.Configuration> {
  return oc.dynamicClientRegistration(
    new URL(PUBLIC_URL),
    {
      client_name: 'Till-side CIBA client',
      grant_types: [CIBA],
      response_types: [],
      backchannel_token_delivery_mode: 'poll',
      token_endpoint_auth_method: 'client_secret_post',
    },
    undefined,
    { [oc.customFetch]: fetcher as oc.CustomFetch },
  );
}

beforeAll(async () => {
  t = await startTestApp();
  tunnel = tunnelTo(t.url);
  client = await registerCibaClient(tunnel);
});
afterAll(async () => {
  await t.stop();
});

/** A customer (MCP subject `subject`) orders a cheeseburger and places it: it awaits confirmation. */
async function placedOrder(subject: string, phone: string) {
  const mcp = new Client({ name: 'counterpi-test', version: '1.0.0' });
  await mcp.connect(
    new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
      requestInit: { headers: { [TEST_CUSTOMER_HEADER]: subject } },
    }),
  );
  const call = async (tool: string, args: Record<string, unknown>) =>
    (await mcp.callTool({ name: tool, arguments: args })) as CallResult;
  const created = await call('create_order', {
    idempotency_key: randomUUID(),
    lines: [{ item_id: 'cheeseburger', quantity: 1 }],
    customer_name: subject,
    customer_phone: phone,
  });
  const orderId = created.structuredContent?.order_id ?? '';
  const placed = (await call('place_order', { idempotency_key: randomUUID(), order_id: orderId }))
    .structuredContent as Structured;
  expect(placed.status).toBe('awaiting_confirmation');
  const status = async () => {
    const answer = await call('get_order_status', { order_id: orderId });
    return ((answer.structuredContent?.orders ?? []) as Structured[])[0];
  };
  return {
    orderId,
    code: placed.code,
    bindingMessage: placed.confirmation?.binding_message ?? '',
    link: placed.confirmation_url ?? '',
    status,
    call,
    close: () => mcp.close(),
  };
}

function initiate(parameters: Record<string, string>, config = client) {
  return oc.initiateBackchannelAuthentication(config, { scope: SCOPE, resource: RESOURCE, ...parameters });
}

/** One poll of the token endpoint: the request pollBackchannelAuthenticationGrant repeats. */
function pollOnce(authReqId: string) {
  return oc.genericGrantRequest(client, CIBA, { auth_req_id: authReqId });
}

/**
 * openid-client's own polling loop. The server paces polls by the app's manual clock, which the test
 * has moved past the interval already, so the client need not sleep in real time first.
 */
function pollUntilDone(started: oc.BackchannelAuthenticationResponse) {
  return oc.pollBackchannelAuthenticationGrant(client, { ...started, interval: 0 }, undefined, {
    signal: AbortSignal.timeout(2_000),
  });
}

async function decide(link: string, decision: 'approve' | 'deny') {
  const phone = phoneBrowser(t.url);
  const page = await phone.open(link);
  expect(page.status).toBe(200);
  // The customer is told which app approving also signs in, before they decide.
  expect(page.html).toContain('Confirming also signs in <strong>Till-side CIBA client</strong>');
  const done = await phone.choose(link, {
    csrf: page.csrf,
    decision,
    ...(decision === 'approve' ? { payment: 'online' } : {}),
  });
  expect(done.status).toBe(200);
}

describe('CIBA discovery and registration', () => {
  it('advertises the backchannel endpoint in poll mode, without user codes', async () => {
    const res = await tunnel(`${PUBLIC_URL}/.well-known/openid-configuration`);
    const meta = (await res.json()) as Record<string, unknown>;
    expect(meta.backchannel_authentication_endpoint).toBe(`${PUBLIC_URL}/oauth/backchannel`);
    expect(meta.backchannel_token_delivery_modes_supported).toEqual(['poll']);
    expect(meta.backchannel_user_code_parameter_supported).toBe(false);
    expect(meta.grant_types_supported).toContain(CIBA);
    expect(client.clientMetadata().backchannel_token_delivery_mode).toBe('poll');
  });

  it('refuses to register a public CIBA client: it must authenticate', async () => {
    const res = await tunnel(`${PUBLIC_URL}/oauth/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_types: [CIBA],
        response_types: [],
        backchannel_token_delivery_mode: 'poll',
        token_endpoint_auth_method: 'none',
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client_metadata' });
  });
});

describe('the CIBA grant over the order confirmation', () => {
  it('waits, slows a fast poller down, and issues the customer’s tokens once they approve on the page', async () => {
    const order = await placedOrder('ciba-ada', '+15555550101');
    const started = await initiate({ login_hint: order.code, binding_message: order.bindingMessage });
    expect(started.interval).toBe(5);
    expect(started.expires_in).toBeGreaterThan(590);
    expect(started.expires_in).toBeLessThanOrEqual(600);

    await expect(pollOnce(started.auth_req_id)).rejects.toMatchObject({ error: 'authorization_pending' });
    await expect(pollOnce(started.auth_req_id)).rejects.toMatchObject({ error: 'slow_down' });
    // Each slow_down adds 5 s to the interval: 5 s later is too soon again (it is 15 s now), 15 s is not.
    t.clock.advance(5_000);
    await expect(pollOnce(started.auth_req_id)).rejects.toMatchObject({ error: 'slow_down' });
    t.clock.advance(15_000);
    await expect(pollOnce(started.auth_req_id)).rejects.toMatchObject({ error: 'authorization_pending' });

    await decide(order.link, 'approve');
    t.clock.advance(20_000);
    // The approval settled the request at once: the very next poll gets the tokens.
    const tokens = await pollOnce(started.auth_req_id);
    const jwks = (await (await tunnel(`${PUBLIC_URL}/oauth/jwks`)).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks), {
      issuer: PUBLIC_URL,
      audience: RESOURCE,
    });
    expect(payload.sub).toBe('ciba-ada');
    expect(String(payload.scope).split(' ').sort()).toEqual(['menu:read', 'order:write']);
    expect(tokens.claims()?.sub).toBe('ciba-ada');
    expect(await order.status()).toMatchObject({ confirmation: { state: 'approved' } });
    // The auth_req_id is spent.
    await expect(pollOnce(started.auth_req_id)).rejects.toMatchObject({ error: 'invalid_grant' });
    await order.close();
  });

  it('answers access_denied when the customer declines, with their phone number as the hint', async () => {
    const order = await placedOrder('ciba-bo', '+1 555 555 0102');
    const started = await initiate({ login_hint: '+15555550102', binding_message: order.bindingMessage });
    await decide(order.link, 'deny');
    await expect(pollUntilDone(started)).rejects.toMatchObject({ error: 'access_denied' });
    await order.close();
  });

  it('answers expired_token on the next poll when the order is canceled meanwhile', async () => {
    const order = await placedOrder('ciba-cy', '+15555550103');
    const started = await initiate({ login_hint: order.code });
    const canceled = await order.call('cancel_order', {
      idempotency_key: randomUUID(),
      order_id: order.orderId,
    });
    expect(canceled.isError).toBeFalsy();
    await expect(pollOnce(started.auth_req_id)).rejects.toMatchObject({ error: 'expired_token' });
    await order.close();
  });

  it('opens a confirmation for an order placed before confirmation requests existed', async () => {
    const order = await placedOrder('ciba-di', '+15555550104');
    t.app.store.db.prepare('DELETE FROM confirmation_requests WHERE order_id = ?').run(order.orderId);
    const started = await initiate({ login_hint: order.code.toLowerCase() });
    expect(started.expires_in).toBe(600);
    const rows = t.app.store.db
      .prepare('SELECT channel, state FROM confirmation_requests WHERE order_id = ?')
      .all(order.orderId);
    expect(rows).toEqual([{ channel: 'ciba', state: 'pending' }]);
    const status = await order.status();
    await decide(String(status?.confirmation_url), 'approve');
    t.clock.advance(10_000);
    expect((await pollUntilDone(started)).claims()?.sub).toBe('ciba-di');
    await order.close();
  });
});

describe('backchannel requests the shop refuses', () => {
  it('refuses unknown hints, wrong binding messages and a phone number without one', async () => {
    const order = await placedOrder('ciba-ed', '+15555550105');
    await expect(initiate({ login_hint: 'ZZZZ' })).rejects.toMatchObject({ error: 'unknown_user_id' });
    await expect(
      initiate({ login_hint: '+15555550999', binding_message: order.bindingMessage }),
    ).rejects.toMatchObject({ error: 'unknown_user_id' });
    await expect(
      initiate({ login_hint: order.code, binding_message: 'Order ZZZZ · 1 item · $1.00' }),
    ).rejects.toMatchObject({ error: 'invalid_binding_message' });
    await expect(initiate({ login_hint: '+15555550105' })).rejects.toMatchObject({
      error: 'invalid_binding_message',
    });
    await expect(
      initiate({ login_hint: order.code, binding_message: `${order.bindingMessage}\u202e` }),
    ).rejects.toMatchObject({ error: 'invalid_binding_message' });
    await order.close();
  });

  it('limits hint lookups per client address, so order codes cannot be guessed', async () => {
    const guesser = await registerCibaClient(viaAddress(tunnel, '203.0.113.7'));
    for (let i = 0; i < 30; i++) {
      await expect(initiate({ login_hint: 'ZZZZ' }, guesser)).rejects.toMatchObject({
        error: 'unknown_user_id',
      });
    }
    const refused = await initiate({ login_hint: 'ZZZZ' }, guesser).catch((e: unknown) => e);
    expect(refused).toMatchObject({ error: 'invalid_request', status: 429 });
    const retryAfter = (refused as oc.ResponseBodyError).response.headers.get('retry-after');
    expect(Number(retryAfter)).toBeGreaterThan(500);
    // Another address is not held up.
    await expect(initiate({ login_hint: 'ZZZZ' })).rejects.toMatchObject({ error: 'unknown_user_id' });
  });
});
