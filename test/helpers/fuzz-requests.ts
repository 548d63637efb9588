import { acpExamples } from './acp-schemas.js';
import { type Dice, damageText, hostileValue, jsonText, mutate } from './fuzz-values.js';

/** One request the fuzzer sends: the body already text (or bytes that are not UTF-8). */
export interface FuzzRequest {
  readonly family: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
}

/** What the fuzzer holds of a running shop: credentials and the ids of things that exist. */
export interface FuzzTargets {
  readonly mcpToken: string;
  readonly acpKey: string;
  readonly sessionId: string;
  readonly cartId: string;
  readonly orderId: string;
  readonly ownerCookie: string;
  readonly ownerCsrf: string;
}

const PROTOCOL_VERSIONS = ['2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28', 'garbage', undefined];
const MCP_ACCEPT = ['application/json, text/event-stream', 'application/json', 'text/html', undefined];
const OTHER_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  undefined,
];

/** Mostly JSON, so most requests get past the content check to the code behind it. */
function contentType(dice: Dice): string | undefined {
  return dice.chance(0.8) ? 'application/json' : dice.pick(OTHER_CONTENT_TYPES);
}

/** A credential as sent: right, missing, garbage, another scheme, another case, or far too long. */
function authorization(dice: Dice, secret: string): string | undefined {
  if (dice.chance(0.8)) return `Bearer ${secret}`;
  return dice.pick([
    `Bearer ${secret}`,
    `Bearer ${secret}`,
    `bearer ${secret}`,
    undefined,
    'Bearer ',
    'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    `Basic ${Buffer.from('owner:owner').toString('base64')}`,
    `Bearer ${'A'.repeat(8000)}`,
  ]);
}

/**
 * The headers that are set, each value cut to what HTTP can carry (no controls, nothing past Latin-1):
 * the client refuses to send anything else, so such a value would test the client, not the server.
 */
function withoutUndefined(headers: Record<string, string | undefined>): Record<string, string> {
  const sendable = (value: string) => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');
  return Object.fromEntries(
    Object.entries(headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, sendable(v)]])),
  ) as Record<string, string>;
}

/** A JSON body: the base value mutated, sometimes twice; its text sometimes damaged; rarely not UTF-8. */
function body(dice: Dice, base: unknown): string | Uint8Array {
  if (dice.chance(0.03)) return Uint8Array.from([0xff, 0xfe, 0x7b, 0x80, 0x22, 0xc3]);
  let value = dice.chance(0.1) ? base : mutate(dice, base);
  if (dice.chance(0.3)) value = mutate(dice, value);
  const text = jsonText(dice, value);
  return dice.chance(0.2) ? damageText(dice, text) : text;
}

/** A hostile value as a piece of a URL: cut to `max` characters, lone surrogates made whole, encoded. */
function segment(dice: Dice, max: number): string {
  const text = String(hostileValue(dice)).slice(0, max);
  return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'));
}

/** The calls an assistant makes, as sound messages for the mutations to start from. */
function mcpMessage(dice: Dice, t: FuzzTargets): Record<string, unknown> {
  const key = `fuzz-${dice.int(1_000_000)}`;
  const calls: [string, Record<string, unknown>][] = [
    ['get_shop_info', {}],
    ['search_menu', { query: dice.pick(['burger', 'vegan', '']), limit: 5 }],
    ['get_menu_item', { item_id: 'cheeseburger' }],
    [
      'create_order',
      {
        idempotency_key: key,
        lines: [{ item_id: 'cheeseburger', quantity: 1, option_ids: [] }],
        customer_name: 'Fuzz',
        customer_phone: '+15555550100',
      },
    ],
    [
      'update_order',
      { idempotency_key: key, order_id: t.orderId, add_lines: [{ item_id: 'fries', quantity: 1 }] },
    ],
    ['place_order', { idempotency_key: key, order_id: t.orderId }],
    ['get_order_status', { order_id: t.orderId }],
    ['cancel_order', { idempotency_key: key, order_id: t.orderId }],
    ['reorder', { idempotency_key: key }],
  ];
  const [name, args] = dice.pick(calls);
  const id = dice.pick<unknown>([1, 'a', null, 1.5, {}, -1]);
  return dice.pick([
    { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } },
    { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } },
    { jsonrpc: '2.0', id, method: 'ping' },
    { jsonrpc: '2.0', id, method: 'tools/list', params: {} },
    {
      jsonrpc: '2.0',
      id,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } },
    },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id, method: 'resources/read', params: { uri: 'ui://counterpi/menu.html' } },
  ]);
}

function mcpRequest(dice: Dice, t: FuzzTargets): FuzzRequest {
  const message = mcpMessage(dice, t);
  const base = dice.chance(0.1) ? [message, mcpMessage(dice, t)] : message;
  return {
    family: 'mcp',
    method: dice.chance(0.95) ? 'POST' : dice.pick(['GET', 'DELETE', 'PUT']),
    path: '/mcp',
    headers: withoutUndefined({
      authorization: authorization(dice, t.mcpToken),
      'content-type': contentType(dice),
      accept: dice.pick(MCP_ACCEPT),
      'mcp-protocol-version': dice.pick(PROTOCOL_VERSIONS),
      origin: dice.chance(0.05) ? 'https://evil.example' : undefined,
    }),
    body: body(dice, base),
  };
}

const checkoutExamples = acpExamples('examples.agentic_checkout.json') as Record<string, unknown>;
const delegateExamples = acpExamples('examples.delegate_payment.json') as Record<string, unknown>;
const LINE_ITEMS = { line_items: [{ id: 'cheeseburger', quantity: 1 }], currency: 'usd' };

/** ACP REST: every route, with the release's own example bodies as the starting point. */
function acpRequest(dice: Dice, t: FuzzTargets): FuzzRequest {
  const id = dice.pick([t.sessionId, 'cs_missing', '..%2F..%2Fetc', 'x'.repeat(300), '%00']);
  const cart = dice.pick([t.cartId, 'cart_missing']);
  const [method, path, base] = dice.pick<[string, string, unknown]>([
    [
      'POST',
      '/checkout_sessions',
      dice.chance(0.5) ? LINE_ITEMS : checkoutExamples.create_checkout_session_request,
    ],
    ['POST', `/checkout_sessions/${id}`, checkoutExamples.update_checkout_session_request],
    ['POST', `/checkout_sessions/${id}/complete`, checkoutExamples.complete_checkout_session_request],
    ['POST', `/checkout_sessions/${id}/cancel`, checkoutExamples.cancel_checkout_session_request],
    ['GET', `/checkout_sessions/${id}`, undefined],
    ['POST', '/carts', LINE_ITEMS],
    ['PUT', `/carts/${cart}`, LINE_ITEMS],
    ['POST', `/carts/${cart}/cancel`, {}],
    ['GET', `/carts/${cart}`, undefined],
    ['POST', '/agentic_commerce/delegate_payment', delegateExamples.delegate_payment_request],
    [
      'POST',
      '/acp/mcp',
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'create_checkout_session', arguments: LINE_ITEMS },
      },
    ],
  ]);
  return {
    family: 'acp',
    method,
    path,
    headers: withoutUndefined({
      authorization: authorization(dice, t.acpKey),
      'api-version': dice.pick(['2026-04-17', '2026-04-17', '2025-09-29', 'x', undefined]),
      'content-type': contentType(dice),
      accept: path === '/acp/mcp' ? 'application/json, text/event-stream' : undefined,
      'idempotency-key': dice.pick([
        `fuzz-${dice.int(50)}`,
        `fuzz-${dice.int(1_000_000)}`,
        undefined,
        'k'.repeat(300),
      ]),
      signature: dice.chance(0.1) ? 'sig' : undefined,
      timestamp: dice.chance(0.1) ? String(hostileValue(dice)).slice(0, 40) : undefined,
    }),
    ...(base === undefined ? {} : { body: body(dice, base) }),
  };
}

/** The sign-in server: registration, token and authorization requests with garbage in every field. */
function oauthRequest(dice: Dice): FuzzRequest {
  const registration = {
    client_name: 'fuzz',
    redirect_uris: ['http://127.0.0.1:33418/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'none',
  };
  if (dice.chance(0.4)) {
    return {
      family: 'oauth',
      method: 'POST',
      path: '/oauth/reg',
      headers: { 'content-type': 'application/json' },
      body: body(dice, registration),
    };
  }
  const form = new URLSearchParams({
    grant_type: dice.pick([
      'authorization_code',
      'refresh_token',
      'client_credentials',
      'urn:openid:params:grant-type:ciba',
      '',
    ]),
    code: String(hostileValue(dice)).slice(0, 2000),
    client_id: dice.pick(['fuzz', '', 'x'.repeat(500)]),
    code_verifier: 'v'.repeat(dice.int(200)),
    auth_req_id: dice.pick(['', 'abc', '\u0000']),
  });
  return dice.pick<FuzzRequest>([
    {
      family: 'oauth',
      method: 'POST',
      path: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    },
    {
      family: 'oauth',
      method: 'POST',
      path: '/oauth/backchannel',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    },
    {
      family: 'oauth',
      method: 'GET',
      path: `/oauth/auth?${form.toString()}&response_type=code&scope=${segment(dice, 500)}`,
      headers: {},
    },
    {
      family: 'oauth',
      method: 'GET',
      path: `/oauth/interaction/${segment(dice, 200)}`,
      headers: {},
    },
    {
      family: 'oauth',
      method: 'GET',
      path: dice.pick([
        '/.well-known/oauth-authorization-server',
        '/.well-known/openid-configuration',
        '/.well-known/oauth-protected-resource/mcp',
        '/.well-known/acp.json',
        '/oauth/jwks',
      ]),
      headers: {},
    },
  ]);
}

/** Owner pages, signed in or not, with a right or wrong form token, and the customer's pages. */
function pageRequest(dice: Dice, t: FuzzTargets): FuzzRequest {
  const signedIn = dice.chance(0.7);
  const form = new URLSearchParams({
    csrf: dice.chance(0.5) ? t.ownerCsrf : String(hostileValue(dice)).slice(0, 100),
    [dice.pick([
      'name',
      'price',
      'password',
      'url',
      'hours',
      'tax_rate',
      'sold_out',
      'printer',
      'public_url',
    ])]: String(hostileValue(dice)).slice(0, 5000),
  });
  const path = dice.pick([
    '/admin/settings',
    '/admin/menu/items/cheeseburger',
    '/admin/menu/items/%2e%2e%2f%2e%2e',
    '/admin/menu/new-item',
    '/admin/menu/items/cheeseburger/sold-out',
    '/admin/keys/webhooks',
    '/admin/keys/tokens',
    '/admin/settings/pause',
    `/admin/orders/${t.orderId}/ready`,
    '/admin/connect/public-address',
    '/admin/login',
    '/admin/onboarding',
    `/c/${segment(dice, 300)}`,
    `/o/${dice.pick([t.orderId, 'missing', '..%2f..%2f'])}`,
    '/admin/backups/files/..%2f..%2fcounterpi.db',
    '/admin/audit/export.csv?since=garbage&until=%00',
    `/${'a/'.repeat(dice.int(300))}`,
  ]);
  const method = dice.chance(0.6) ? 'POST' : 'GET';
  return {
    family: 'pages',
    method,
    path,
    headers: withoutUndefined({
      cookie: signedIn ? t.ownerCookie : undefined,
      'content-type':
        method === 'POST'
          ? dice.pick(['application/x-www-form-urlencoded', ...OTHER_CONTENT_TYPES])
          : undefined,
    }),
    ...(method === 'POST' ? { body: dice.chance(0.8) ? form.toString() : body(dice, {}) } : {}),
  };
}

/** The fuzzer's stream: a mix of every family, `count` long, the same for the same seed. */
export function fuzzRequests(dice: Dice, targets: FuzzTargets, count: number): FuzzRequest[] {
  return Array.from({ length: count }, () => {
    const roll = dice.next();
    if (roll < 0.35) return mcpRequest(dice, targets);
    if (roll < 0.7) return acpRequest(dice, targets);
    if (roll < 0.8) return oauthRequest(dice);
    return pageRequest(dice, targets);
  });
}
