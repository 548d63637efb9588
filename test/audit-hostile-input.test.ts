import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { ACP_VERSION } from './helpers/acp-schemas.js';
import { runCli } from './helpers/run-cli.js';
import { PUBLIC_URL, startTestApp, TEST_CUSTOMER_HEADER, type TestApp } from './helpers/start-app.js';

// A call nested deeper than anything counterpi serves must never run without its audit row, and must
// never take the rows of other calls with it. A bounded JSON parse may refuse such a body before the
// audit sees it: these tests hold either way (nothing runs, every neighbour's row is kept).

const DEPTH = 10_000;
/** Built as text: JSON.stringify itself overflows the stack at this depth. */
const DEEP = `${'{"a":'.repeat(DEPTH)}0${'}'.repeat(DEPTH)}`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

const count = (sql: string, ...params: unknown[]) =>
  (t.app.store.db.prepare(sql).get(...params) as { n: number }).n;
const ordersOf = (subject: string) =>
  count(
    'SELECT count(*) AS n FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.subject = ?',
    subject,
  );
const rowsOf = (actor: string) => count('SELECT count(*) AS n FROM audit_log WHERE actor = ?', actor);

/** A tools/call whose arguments are `args` plus `tail` (raw JSON text) as the `extra` argument. */
function toolCall(name: string, args: Record<string, unknown>, tail?: string): string {
  const json = JSON.stringify(args);
  const withTail =
    tail === undefined ? json : `${json.slice(0, -1)}${json === '{}' ? '' : ','}"extra":${tail}}`;
  return `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"${name}","arguments":${withTail}}}`;
}

/** POST /mcp as a 2025-06-18 client (the door's hot path), or without the version header (the SDK's path). */
async function mcp(customer: string, body: string, hot = true): Promise<{ status: number; text: string }> {
  const res = await fetch(`${t.url}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(hot ? { 'mcp-protocol-version': '2025-06-18' } : {}),
      [TEST_CUSTOMER_HEADER]: customer,
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/** Whether an /mcp answer is a tool's success: HTTP 200 with a result that is not a tool error. */
function succeeded(answer: { status: number; text: string }): boolean {
  if (answer.status !== 200) return false;
  const message = JSON.parse(answer.text) as { result?: { isError?: boolean } };
  return message.result !== undefined && message.result.isError !== true;
}

const order = (name: string) => ({
  idempotency_key: randomUUID(),
  lines: [{ item_id: 'fries', quantity: 1 }],
  customer_name: name,
});

/** Bob's 20 calls: reads, and one order. */
function bobCall(n: number): string {
  if (n === 5) return toolCall('create_order', order('Bob'));
  return n % 2 === 0
    ? toolCall('search_menu', { query: 'fries' })
    : toolCall('get_menu_item', { item_id: 'fries' });
}

describe('an audit row that cannot be made', () => {
  it('keeps a 10,000-deep MCP call from running, and every row of another customer’s calls beside it', async () => {
    const mallory: { status: number; text: string }[] = [];
    const bob: { status: number; text: string }[] = [];
    for (let round = 0; round < 5; round += 1) {
      // The poisoned read is answered first: the rows of the calls right after it share its batch.
      mallory.push(await mcp('mallory', toolCall('search_menu', { query: 'burger' }, DEEP), round % 2 === 0));
      const calls = [0, 1, 2, 3].map((n) => mcp('bob', bobCall(round * 4 + n)));
      if (round === 2) calls.push(mcp('mallory', toolCall('create_order', order('Mallory'), DEEP)));
      if (round === 3) calls.push(mcp('mallory', toolCall('create_order', order('Mallory'), DEEP), false));
      const answers = await Promise.all(calls);
      bob.push(...answers.slice(0, 4));
      mallory.push(...answers.slice(4));
    }

    expect(mallory).toHaveLength(7);
    for (const answer of mallory) expect(succeeded(answer), answer.text.slice(0, 200)).toBe(false);
    for (const answer of bob) expect(succeeded(answer), answer.text.slice(0, 200)).toBe(true);
    expect(ordersOf('mallory')).toBe(0);
    expect(ordersOf('bob')).toBe(1);
    // Refused by the audit itself (not earlier, by a bounded parse): each refusal has its row.
    const refusedByAudit = mallory.filter((answer) => answer.text.includes('audit log')).length;
    await expect.poll(() => rowsOf('mallory')).toBe(refusedByAudit);
    // Rows of reads are written in batches a few milliseconds after the answer.
    await expect.poll(() => rowsOf('bob')).toBe(20);
  });

  it('keeps a 10,000-deep ACP body from running on REST and /acp/mcp, and every row of another key', async () => {
    const mallory = createTestAcpKey(t.dataDir, 'Mallory');
    const agent = createTestAcpKey(t.dataDir, 'Agent');
    const create = { line_items: [{ id: 'fries' }], currency: 'usd' };
    const deepBody = `${JSON.stringify(create).slice(0, -1)},"metadata":${DEEP}}`;
    const deepArgs = `{"meta":{"api_version":"${ACP_VERSION}"},"payload":${deepBody}}`;
    const acpMcp = fetch(`${t.url}/acp/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${mallory.secret}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
      },
      body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"create_checkout_session","arguments":${deepArgs}}}`,
    }).then(async (res) => ({
      status: res.status,
      body: (await res.json()) as { error?: { code: number } },
    }));
    const agentCalls = Array.from({ length: 10 }, () =>
      acpClient(t.url, agent.secret).post('/checkout_sessions', create),
    );
    const [rest, cart, overMcp, ...sessions] = await Promise.all([
      acpClient(t.url, mallory.secret).post('/checkout_sessions', deepBody),
      acpClient(t.url, mallory.secret).post('/carts', deepBody),
      acpMcp,
      ...agentCalls,
    ]);

    for (const refused of [rest, cart]) {
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ type: 'invalid_request' });
    }
    expect(overMcp.body.error).toBeDefined();
    expect(count('SELECT count(*) AS n FROM checkout_sessions WHERE api_key_id = ?', mallory.id)).toBe(0);
    expect(count('SELECT count(*) AS n FROM carts WHERE api_key_id = ?', mallory.id)).toBe(0);
    for (const session of sessions) expect(session.status).toBe(201);
    // Whichever check refused them (the body's depth or the audit's own), nothing of Mallory's ran: her
    // REST calls each left one row, a refusal, and the refusals that name the audit log are among them.
    const refusedByAudit = [rest.body, cart.body, overMcp.body].filter((body) =>
      JSON.stringify(body).includes('audit log'),
    ).length;
    expect(rowsOf(mallory.id)).toBeGreaterThanOrEqual(refusedByAudit);
    expect(rowsOf(mallory.id)).toBeLessThanOrEqual(3);
    expect(
      count("SELECT count(*) AS n FROM audit_log WHERE actor = ? AND outcome LIKE 'ok%'", mallory.id),
    ).toBe(0);
    await expect.poll(() => rowsOf(agent.id)).toBe(10);
  });

  it('leaves a chain that verifies', async () => {
    const verified = await runCli(['audit', 'verify'], { DATA_DIR: t.dataDir, PUBLIC_URL });
    expect(verified.stdout).toContain('Audit log intact');
    expect(verified.code).toBe(0);
  });
});
