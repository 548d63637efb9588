import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { type AppProcess, startAppProcess } from './helpers/app-process.js';
import { type FuzzRequest, type FuzzTargets, fuzzRequests } from './helpers/fuzz-requests.js';
import { seededRandom } from './helpers/fuzz-values.js';
import { mcpToolCall } from './helpers/mcp-post.js';
import { onboard } from './helpers/owner-browser.js';
import { runCli } from './helpers/run-cli.js';
import { PUBLIC_URL } from './helpers/start-app.js';

/** How many requests one run sends, and how long one may go unanswered before it counts as a hang. */
const COUNT = Number(process.env.FUZZ_COUNT ?? 10_000);
const HANG_MS = 5_000;
const CONCURRENCY = 8;
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);

const children = new Set<ChildProcess>();
let dataDir = '';
let shop: AppProcess;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'counterpi-fuzz-'));
});
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** A 2025-era MCP call with a real token, as a stateless assistant sends it; its structured result. */
async function mcpCall(token: string, name: string, args: Record<string, unknown>) {
  const res = await mcpToolCall(shop.url, token, name, args);
  const answer = (await res.json()) as { result?: { structuredContent?: Record<string, unknown> } };
  return answer.result?.structuredContent ?? {};
}

/** A signed-in owner, an MCP token, an ACP key, and one order, checkout session and cart to aim at. */
async function targets(): Promise<FuzzTargets> {
  const owner = await onboard(shop);
  const settings = await owner.get('/admin/settings');
  const issued = await runCli(['token', 'issue', '--name', 'Fuzzer'], { DATA_DIR: dataDir, PUBLIC_URL });
  const mcpToken = /\b(eyJ[\w-]+\.[\w-]+\.[\w-]+)/.exec(issued.stdout)?.[1] ?? '';
  expect(mcpToken, issued.stdout + issued.stderr).not.toBe('');
  const { secret } = createTestAcpKey(dataDir);
  const acp = acpClient(shop.url, secret);
  const session = await acp.post('/checkout_sessions', { line_items: [{ id: 'fries' }], currency: 'usd' });
  const cart = await acp.post('/carts', { line_items: [{ id: 'fries' }], currency: 'usd' });
  const order = await mcpCall(mcpToken, 'create_order', {
    idempotency_key: 'fuzz-setup',
    lines: [{ item_id: 'cheeseburger', quantity: 1 }],
    customer_name: 'Fuzz Setup',
    customer_phone: '+15555550100',
  });
  return {
    mcpToken,
    acpKey: secret,
    sessionId: String(session.body.id),
    cartId: String(cart.body.id),
    orderId: String(order.order_id),
    ownerCookie: [...owner.jar].map(([k, v]) => `${k}=${v}`).join('; '),
    ownerCsrf: settings.csrf ?? '',
  };
}

interface Outcome {
  readonly request: FuzzRequest;
  readonly status: number | 'hang' | 'reset';
  readonly detail: string;
}

/** Sends one request; a hang is no answer within HANG_MS, a reset a connection closed without one. */
async function send(request: FuzzRequest): Promise<Outcome> {
  try {
    const res = await fetch(shop.url + request.path, {
      method: request.method,
      headers: request.headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(HANG_MS),
      // fetch refuses a body on GET and HEAD: the request goes without one.
      ...(request.body === undefined || ['GET', 'HEAD'].includes(request.method)
        ? {}
        : { body: request.body }),
    });
    const text = await res.text();
    return { request, status: res.status, detail: text.slice(0, 300) };
  } catch (error) {
    const name = (error as Error).name;
    return { request, status: name === 'TimeoutError' ? 'hang' : 'reset', detail: String(error) };
  }
}

/** Runs the requests CONCURRENCY at a time, in order. */
async function sendAll(requests: readonly FuzzRequest[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next] as FuzzRequest;
      next += 1;
      outcomes.push(await send(request));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return outcomes;
}

/** Status counts by family, for the failure message and the log. */
function tally(outcomes: readonly Outcome[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const { request, status } of outcomes) {
    const family = counts[request.family] ?? {};
    family[String(status)] = (family[String(status)] ?? 0) + 1;
    counts[request.family] = family;
  }
  return counts;
}

describe(`${COUNT} malformed requests to a running shop (seed ${SEED})`, () => {
  it('answers every one in time, none with a 5xx, and leaves an audit log that verifies', async () => {
    shop = await startAppProcess({ DATA_DIR: dataDir, PUBLIC_URL }, children);
    const requests = fuzzRequests(seededRandom(SEED), await targets(), COUNT);
    const outcomes = await sendAll(requests);

    // FUZZ_LOG=FILE keeps the server's log (the stacks of any 5xx) for a look after a failing run.
    if (process.env.FUZZ_LOG !== undefined) writeFileSync(process.env.FUZZ_LOG, shop.output());
    const failed = outcomes.filter((o) => typeof o.status !== 'number' || o.status >= 500);
    const shown = failed.slice(0, 5).map((o) => {
      const sent = `${o.request.method} ${o.request.path.slice(0, 80)} ${JSON.stringify(o.request.headers)}`;
      const body = typeof o.request.body === 'string' ? o.request.body.slice(0, 200) : String(o.request.body);
      return `${o.status} ${sent} ${body} → ${o.detail}`;
    });
    expect(shown, JSON.stringify(tally(outcomes))).toEqual([]);
    expect(outcomes).toHaveLength(COUNT);

    // Still serving, then a clean stop, then the whole hash chain recomputed from the file.
    expect((await fetch(`${shop.url}/ready`)).status).toBe(200);
    shop.child.kill('SIGTERM');
    const [code] = await once(shop.child, 'exit');
    expect(code).toBe(0);
    const verified = await runCli(['audit', 'verify'], { DATA_DIR: dataDir, PUBLIC_URL });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  }, 300_000);
});
