import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_CUSTOMER_HEADER, type TestApp } from './helpers/start-app.js';

// /mcp answers every request, whatever its shape and headers: a tools/call or ping whose params was
// not an object, sent as a 2025-06-18 client sends it, once went to the long-lived server, which
// dropped it unanswered and held the socket for good.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const TCP_TABLE = '/proc/net/tcp';
const HAS_TCP_TABLE = existsSync(TCP_TABLE);
const VERSIONS = ['2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28', undefined, 'garbage'];
const ODD_PARAMS = ['null', '0', '""', '[]'];

/** Bodies of every JSON-RPC shape, by name. */
function shapes(): Record<string, string> {
  const call = '{"name":"search_menu","arguments":{"query":"burger"}}';
  const init = '{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}';
  const all: Record<string, string> = {
    'tools/call': `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":${call}}`,
    ping: '{"jsonrpc":"2.0","id":"p","method":"ping"}',
    initialize: `{"jsonrpc":"2.0","id":0,"method":"initialize","params":${init}}`,
    'tools/list': '{"jsonrpc":"2.0","id":2,"method":"tools/list"}',
    'unknown method': '{"jsonrpc":"2.0","id":3,"method":"no/such/method","params":{}}',
    notification: '{"jsonrpc":"2.0","method":"notifications/initialized"}',
    'tools/call as a notification': `{"jsonrpc":"2.0","method":"tools/call","params":${call}}`,
    batch: '[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"tools/list"}]',
    'empty batch': '[]',
    'batch with odd params': '[{"jsonrpc":"2.0","id":1,"method":"ping","params":null}]',
    'response object': '{"jsonrpc":"2.0","id":1,"result":{}}',
    'error object': '{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"x"}}',
    'number root': '1',
    'string root': '"ping"',
    'null root': 'null',
    'missing jsonrpc': '{"id":1,"method":"ping"}',
    'jsonrpc 1.0': '{"jsonrpc":"1.0","id":1,"method":"ping"}',
    'jsonrpc as a number': '{"jsonrpc":2,"id":1,"method":"ping"}',
    'id null': '{"jsonrpc":"2.0","id":null,"method":"ping"}',
    'id fraction': '{"jsonrpc":"2.0","id":1.5,"method":"ping"}',
    'id object': '{"jsonrpc":"2.0","id":{},"method":"ping"}',
    'id boolean': '{"jsonrpc":"2.0","id":true,"method":"ping"}',
    'extra member': '{"jsonrpc":"2.0","id":1,"method":"ping","extra":1}',
    '_meta not an object': '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":5}}',
    'progressToken an object':
      '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"progressToken":{}}}}',
    'params {}': '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}}',
  };
  for (const params of ODD_PARAMS) {
    all[`tools/call params ${params}`] = `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":${params}}`;
    all[`ping params ${params}`] = `{"jsonrpc":"2.0","id":"p7","method":"ping","params":${params}}`;
  }
  return all;
}

/** What a real client sends with a body: JSON, the Accept header unless left out, the version header. */
function headersFor(version: string | undefined, accept: boolean): Record<string, string> {
  return {
    'content-type': 'application/json',
    [TEST_CUSTOMER_HEADER]: 'answers-customer',
    ...(accept ? { accept: 'application/json, text/event-stream' } : {}),
    ...(version === undefined ? {} : { 'mcp-protocol-version': version }),
  };
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One POST /mcp on `agent`; rejects when no answer came within `withinMs`. */
function post(
  agent: Agent,
  headers: Record<string, string>,
  body: string,
  withinMs: number,
): Promise<Answer> {
  const { port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/mcp', method: 'POST', agent, headers, timeout: withinMs },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${withinMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

const ESTABLISHED = '01';
const CLOSE_WAIT = '08';

/**
 * The server's open connections on its port, from the kernel's table of IPv4 TCP sockets: by default
 * what `server.getConnections()` counts, established or closed by the client and not yet by the
 * server. A socket the client has just closed sits in CLOSE_WAIT for a moment while the client's
 * agent already uses its replacement, so the bound on held sockets counts established ones only.
 */
function serverConnections(states = [ESTABLISHED, CLOSE_WAIT]): number {
  const port = Number(new URL(t.url).port);
  const open = new Set(states);
  return readFileSync(TCP_TABLE, 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter(
      ([, local, , state]) =>
        Number.parseInt(local?.split(':')[1] ?? '', 16) === port && open.has(state ?? ''),
    ).length;
}

async function settle(check: () => boolean, withinMs: number): Promise<void> {
  const until = performance.now() + withinMs;
  while (!check() && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
}

function expectOddParamsRefused(answer: Answer, body: string): void {
  const sent = JSON.parse(body) as { id: unknown };
  expect(answer.status, body).toBe(400);
  expect(JSON.parse(answer.body), body).toMatchObject({
    jsonrpc: '2.0',
    id: sent.id,
    error: { code: -32602, message: expect.stringContaining('params') },
  });
}

describe('/mcp answers every request', () => {
  it('answers every JSON-RPC shape, with and without each protocol header, within 1 s and never 5xx', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    try {
      const all = Object.entries(shapes());
      // Warm: the first request builds the SDK's schemas and servers.
      await post(agent, headersFor('2025-06-18', true), all[0]?.[1] ?? '', 10_000);
      for (const version of VERSIONS) {
        for (const accept of [true, false]) {
          for (const [name, body] of all) {
            const label = `${name}, version ${version}, ${accept ? 'with' : 'without'} Accept`;
            const answer = await post(agent, headersFor(version, accept), body, 1000).catch(
              (error: Error) => ({
                status: 0,
                body: error.message,
              }),
            );
            expect(answer.status, `${label}: ${answer.body}`).toBeGreaterThanOrEqual(200);
            expect(answer.status, `${label}: ${answer.body}`).toBeLessThan(500);
            if (/ params (null|0|""|\[\])$/.test(name)) expectOddParamsRefused(answer, body);
          }
        }
      }
    } finally {
      agent.destroy();
    }
  });

  // The kernel's socket table is where the server's open connections are counted (Linux, as on the Pi).
  it.skipIf(!HAS_TCP_TABLE)(
    'answers 3,000 calls with odd params with -32602 on 16 sockets, and leaves no socket open',
    async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 16 });
      const headers = headersFor('2025-06-18', true);
      const bodies = Array.from({ length: 3000 }, (_, n) => {
        const method = n % 2 === 0 ? 'tools/call' : 'ping';
        return `{"jsonrpc":"2.0","id":${n},"method":"${method}","params":${ODD_PARAMS[n % ODD_PARAMS.length]}}`;
      });
      await settle(() => serverConnections() === 0, 3000);
      let most = 0;
      const sampler = setInterval(() => {
        most = Math.max(most, serverConnections([ESTABLISHED]));
      }, 100);
      try {
        const answers = await Promise.all(bodies.map((body) => post(agent, headers, body, 5000)));
        for (const [n, answer] of answers.entries()) expectOddParamsRefused(answer, bodies[n] ?? '');
      } finally {
        clearInterval(sampler);
        agent.destroy();
      }
      expect(most).toBeLessThanOrEqual(16);
      await settle(() => serverConnections() === 0, 3000);
      expect(serverConnections()).toBe(0);
    },
  );
});
