import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { loadOrCreateAcpSigningRoot } from '../../src/auth/key-files.js';
import { databaseFile } from '../../src/main.js';
import { systemClock } from '../../src/platform/clock.js';
import { timeOrderedIds } from '../../src/platform/ids.js';
import { createAcpKeys } from '../../src/services/checkout/acp-keys.js';
import { createAcpKeysRepo } from '../../src/store/acp-keys-repo.js';
import { openStore } from '../../src/store/database.js';
import { ACP_VERSION } from './acp-schemas.js';

/** Creates an ACP API key in the data dir of a running app, as `counterpi acp-key create` does. */
export function createTestAcpKey(
  dataDir: string,
  name = 'Test agent',
  options: { signing?: boolean } = {},
): { id: string; secret: string; signingSecret: string | undefined } {
  const store = openStore({ file: databaseFile(dataDir) });
  try {
    const { key, secret, signingSecret } = createAcpKeys({
      repo: createAcpKeysRepo({ store }),
      clock: systemClock,
      ids: timeOrderedIds,
      signingRoot: loadOrCreateAcpSigningRoot(dataDir),
    }).create(name, options);
    return { id: key.id, secret, signingSecret };
  } finally {
    store.close();
  }
}

export interface AcpCall {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** An ACP client as an agent platform is: API key, API-Version, an Idempotency-Key on every POST. */
export function acpClient(url: string, secret: string) {
  async function send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string | undefined> = {},
  ): Promise<AcpCall> {
    const all: Record<string, string | undefined> = {
      authorization: `Bearer ${secret}`,
      'api-version': ACP_VERSION,
      'content-type': 'application/json',
      ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
      ...headers,
    };
    const sent = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
    const res = await fetch(url + path, {
      method,
      headers: sent,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  }
  return {
    get: (path: string, headers?: Record<string, string | undefined>) =>
      send('GET', path, undefined, headers),
    post: (path: string, body: unknown, headers?: Record<string, string | undefined>) =>
      send('POST', path, body, headers),
    /** Any other method (PUT, PATCH, DELETE …), for the answers of paths and methods ACP does not route. */
    request: send,
  };
}

/** Places an order through the ACP API, as an agent platform does (pay at pickup). */
export async function placePickupOrder(url: string, secret: string, item: string): Promise<string> {
  const acp = acpClient(url, secret);
  const session = await acp.post('/checkout_sessions', {
    line_items: [{ id: item }],
    currency: 'usd',
    capabilities: {},
  });
  expect(session.status).toBe(201);
  const done = await acp.post(`/checkout_sessions/${String(session.body.id)}/complete`, {
    buyer: {
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      phone_number: '15551234567',
    },
    payment_data: { handler_id: 'pay_at_pickup' },
  });
  expect(done.status).toBe(200);
  return String((done.body.order as { id: string }).id);
}
