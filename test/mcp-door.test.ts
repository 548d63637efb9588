import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { type Counterpi, startCounterpi } from '../src/main.js';
import { createManualClock } from '../src/platform/clock.js';
import { createLogger } from '../src/platform/logger.js';
import { PUBLIC_URL } from './helpers/start-app.js';

// /mcp is one Node handler in front of the Hono app, with the app's frame. A body with a declared length
// and a chunked one (counted as it arrives) must get the same answer: status, headers and body, the
// refusals and errors included.

let app: Counterpi;
let dataDir: string;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'counterpi-door-'));
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  app = await startCounterpi(loadConfig({ DATA_DIR: dataDir, PORT: '0', PUBLIC_URL, LOG_LEVEL: 'debug' }), {
    log: createLogger({ level: 'debug', destination }),
    clock: createManualClock('2026-11-24T17:00:00Z'),
    // Who calls is the test's to say: a subject, its scopes, or a resolver that fails.
    resolveCustomer: (header) => {
      if (header('x-test-fail') !== undefined) throw new Error('token store /secret/path unreadable');
      const subject = header('x-test-customer');
      if (subject === undefined) return undefined;
      return { subject, scopes: (header('x-test-scopes') ?? 'menu:read order:write').split(' ') };
    },
  });
});
afterAll(async () => {
  await app.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-06-18',
  'x-test-customer': 'door-customer',
};

/** POSTs with a declared length, or chunked. */
function post(
  body: string,
  options: { chunked: boolean; headers?: Record<string, string>; path?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...MCP_HEADERS, ...options.headers };
    for (const [name, value] of Object.entries(headers)) if (value === '') delete headers[name];
    if (options.chunked) headers['transfer-encoding'] = 'chunked';
    else headers['content-length'] = String(Buffer.byteLength(body));
    const req = request(`${app.url}${options.path ?? '/mcp'}`, { method: 'POST', headers });
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.once('error', reject);
    if (options.chunked) {
      // Two chunks, so the body really arrives in pieces.
      req.write(body.slice(0, 5));
      req.end(body.slice(5));
    } else req.end(body);
  });
}

/** The answer without what differs from one response to the next. */
function comparable(answer: Answer): Answer {
  const { date: _date, 'transfer-encoding': _te, ...headers } = answer.headers;
  return { ...answer, headers };
}

const call = (id: number, name: string, args: Record<string, unknown>) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

describe('the /mcp door', () => {
  const cases: [string, string, Record<string, string>, number][] = [
    ['a menu search', call(1, 'search_menu', { query: 'cheeseburger', limit: 2 }), {}, 200],
    ['an item', call(2, 'get_menu_item', { item_id: 'cheeseburger' }), {}, 200],
    ['the shop', call(3, 'get_shop_info', {}), {}, 200],
    ['a ping', JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'ping' }), {}, 200],
    ['an unknown tool', call(5, 'drop_tables', {}), {}, 200],
    ['arguments of the wrong type', call(6, 'search_menu', { limit: 'all' }), {}, 200],
    ['a body that is not JSON', '{"jsonrpc":"2.0",', {}, 400],
    ['no caller', call(7, 'search_menu', {}), { 'x-test-customer': '' }, 401],
    ['a missing scope', call(8, 'cancel_order', { order_id: 'x' }), { 'x-test-scopes': 'menu:read' }, 403],
    ['a foreign host', call(9, 'search_menu', {}), { host: 'evil.example' }, 403],
    ['a foreign origin', call(10, 'search_menu', {}), { origin: 'https://evil.example' }, 403],
    ['an error no handler caught', call(11, 'search_menu', {}), { 'x-test-fail': '1' }, 500],
  ];
  for (const [what, body, headers, status] of cases) {
    it(`answers ${what} the same, chunked or not, in the app's frame`, async () => {
      const sent = { ...headers, 'x-request-id': `door-${status}-${body.length}` };
      const declared = await post(body, { chunked: false, headers: sent });
      const chunked = await post(body, { chunked: true, headers: sent });
      expect(declared.status).toBe(status);
      expect(comparable(declared)).toEqual(comparable(chunked));
      expect(declared.headers['x-request-id']).toBe(sent['x-request-id']);
      expect(declared.headers['strict-transport-security']).toContain('max-age=');
      expect(declared.headers['x-content-type-options']).toBe('nosniff');
    });
  }

  it('gives the escaped error no detail, and logs the detail', async () => {
    const failed = await post(call(12, 'search_menu', {}), {
      chunked: false,
      headers: { 'x-test-fail': '1' },
    });
    expect(failed.body).not.toContain('secret');
    expect(JSON.parse(failed.body)).toMatchObject({ error: { code: 'internal' } });
    const logged = lines.filter((line) => JSON.stringify(line).includes('/secret/path'));
    expect(logged.length).toBeGreaterThanOrEqual(1);
    expect(logged.every((line) => line.msg === 'unhandled error')).toBe(true);
  });

  it('writes one access line for a hot call and one for a call the SDK answers', async () => {
    const hot = await post(call(13, 'search_menu', {}), {
      chunked: false,
      headers: { 'x-request-id': 'door-hot' },
    });
    const sdk = await post(JSON.stringify({ jsonrpc: '2.0', id: 14, method: 'tools/list', params: {} }), {
      chunked: false,
      headers: { 'x-request-id': 'door-sdk' },
    });
    expect(hot.status).toBe(200);
    expect(sdk.status).toBe(200);
    expect(JSON.parse(sdk.body).result.tools.length).toBeGreaterThan(5);
    for (const id of ['door-hot', 'door-sdk']) {
      const access = lines.filter((line) => line.msg === 'request' && line.req_id === id);
      expect(access).toEqual([expect.objectContaining({ method: 'POST', path: '/mcp', status: 200 })]);
    }
  });

  it('audits a call once, chunked or not', async () => {
    const count = () =>
      (
        app.store.db.prepare("SELECT count(*) AS n FROM audit_log WHERE actor = 'audit-once'").get() as {
          n: number;
        }
      ).n;
    const headers = { 'x-test-customer': 'audit-once' };
    await post(call(15, 'search_menu', { query: 'fries' }), { chunked: false, headers });
    await post(call(16, 'search_menu', { query: 'fries' }), { chunked: true, headers });
    // Rows of reads are written by the audit thread within a few milliseconds.
    const deadline = Date.now() + 5000;
    while (count() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    expect(count()).toBe(2);
  });

  it('refuses a body over the limit, declared or chunked, with 413 and closes the connection', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'ping',
      params: { pad: 'x'.repeat(300_000) },
    });
    for (const chunked of [false, true]) {
      const tooLarge = await post(big, { chunked, headers: { 'x-request-id': `door-413-${chunked}` } });
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.headers.connection).toBe('close');
      expect(tooLarge.headers['x-request-id']).toBe(`door-413-${chunked}`);
      expect(JSON.parse(tooLarge.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    }
  });

  it('answers the exact path with any query and a trailing slash, leaves other paths to the app, other methods 405', async () => {
    for (const path of ['/mcp?from=test', '/mcp/', '/mcp/?from=test']) {
      const query = await post(call(17, 'search_menu', {}), { chunked: false, path });
      expect(query.status, path).toBe(200);
      expect(JSON.parse(query.body)).toMatchObject({ id: 17, result: { structuredContent: {} } });
    }
    for (const path of ['/mcp/tools', '/mcp//', '/mcpx']) {
      const elsewhere = await post(call(18, 'search_menu', {}), { chunked: false, path });
      expect(elsewhere.status, path).toBe(404);
    }
    const deleted = await fetch(`${app.url}/mcp`, {
      method: 'DELETE',
      headers: { 'x-request-id': 'door-405' },
    });
    expect(deleted.status).toBe(405);
    expect(deleted.headers.get('allow')).toBe('POST');
    expect(deleted.headers.get('x-request-id')).toBe('door-405');
    expect(await deleted.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
  });
});
