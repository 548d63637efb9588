import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadOrCreateSigningKeys } from '../src/auth/key-files.js';
import { issueOwnerToken, parseOwnerTokenRequest } from '../src/auth/owner-tokens.js';
import { type Counterpi, databaseFile } from '../src/main.js';
import { createManualClock } from '../src/platform/clock.js';
import { timeOrderedIds } from '../src/platform/ids.js';
import { createOrdersRepo } from '../src/store/orders-repo.js';
import { createOwnerTokensRepo } from '../src/store/owner-tokens-repo.js';
import { acpClient } from './helpers/acp-client.js';
import { mcpToolCall } from './helpers/mcp-post.js';
import { runCli } from './helpers/run-cli.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

const CARD = '4242424242424242';
const PHONE = '+1 555 123 4567';
const clock = createManualClock('2026-11-24T17:00:00Z');
let t: TestApp;
let app: Counterpi;
let dataDir: string;
let env: Record<string, string>;
/** The credentials the conversation below handles: none may reach the database file. */
const secrets: string[] = [];
/** Idempotency keys: the idempotency store keeps them (that is its job), the audit log must not. */
const idempotencyKeys: string[] = [];

interface AuditRow {
  seq: number;
  actor_kind: string;
  actor: string | null;
  client: string | null;
  action: string;
  target: string | null;
  outcome: string;
  latency_ms: number | null;
  input_summary: string | null;
  input_hash: string | null;
}
const auditRows = () => app.store.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[];
const rowsFor = (action: string) => auditRows().filter((r) => r.action === action);
/**
 * Rows of reads are written in batches by the audit thread, after the answer: waits until `count` rows
 * whose action begins with `prefix` are in, however loaded the machine.
 */
const settled = (prefix: string, count: number) =>
  vi.waitFor(() => expect(auditRows().filter((r) => r.action.startsWith(prefix))).toHaveLength(count), {
    timeout: 10_000,
  });

beforeAll(async () => {
  // The real bearer resolver: tokens verified against the data dir's keys and the owner's denylist.
  t = await startTestApp({ clock, bearerTokens: true });
  ({ app, dataDir } = t);
  env = { DATA_DIR: dataDir, PUBLIC_URL };
});
afterAll(async () => {
  await t.stop();
});

async function customerToken(scope?: string): Promise<{ token: string; subject: string }> {
  const issued = await issueOwnerToken(
    {
      ledger: createOwnerTokensRepo({ store: app.store, orders: createOrdersRepo({ store: app.store }) }),
      signingKeys: await loadOrCreateSigningKeys(dataDir),
      publicUrl: PUBLIC_URL,
      clock,
      ids: timeOrderedIds,
    },
    parseOwnerTokenRequest({ name: 'Ada', scope }),
  );
  return { token: issued.token, subject: issued.subject };
}

type ToolResult = { isError?: boolean; structuredContent?: Record<string, unknown> };

/** A tools/call as a stateless 2025-era client sends it: the route's hot path. */
const rawCall = (token: string, name: string, args: Record<string, unknown>) =>
  mcpToolCall(app.url, token, name, args);

describe('the audit log of a running shop', () => {
  let subject: string;
  let orderId: string;
  let keyId: string;
  let sessionId: string;

  it('records the owner’s command-line changes, never the secrets they print', async () => {
    const key = await runCli(['acp-key', 'create', '--name', 'Agent'], env);
    expect(key.code).toBe(0);
    secrets.push(key.stdout.trim());
    keyId = /API key (key_\w+)/.exec(key.stderr)?.[1] ?? '';
    const token = await runCli(['token', 'issue', '--name', 'Front desk'], env);
    expect(token.code).toBe(0);
    secrets.push(token.stdout.trim());
    expect(rowsFor('owner.acp-key.create')).toEqual([
      expect.objectContaining({ actor_kind: 'owner', actor: 'cli', target: keyId, outcome: 'ok' }),
    ]);
    expect(rowsFor('owner.token.issue')).toEqual([
      expect.objectContaining({ actor_kind: 'owner', target: expect.stringMatching(/^tok_/), outcome: 'ok' }),
    ]);
  });

  it('records every MCP tool call with the customer, the order and the outcome', async () => {
    const { token, subject: sub } = await customerToken();
    subject = sub;
    secrets.push(token);
    const client = new Client({ name: 'audit-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${app.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })) as ToolResult;
    const idempotencyKey = randomUUID();
    idempotencyKeys.push(idempotencyKey);

    expect((await call('search_menu', { query: 'cheeseburger' })).isError).toBeFalsy();
    const created = await call('create_order', {
      idempotency_key: idempotencyKey,
      lines: [{ item_id: 'fries', quantity: 1 }],
      customer_name: 'Ada',
      customer_phone: PHONE,
    });
    expect(created.isError).toBeFalsy();
    orderId = String(created.structuredContent?.order_id);
    expect((await call('get_order_status', { order_id: 'ord_missing' })).isError).toBe(true);
    expect(
      (await call('place_order', { idempotency_key: randomUUID(), order_id: orderId })).isError,
    ).toBeFalsy();
    await client.close();
    expect((await rawCall(token, 'get_menu_item', { item_id: 'fries' })).status).toBe(200);
    expect((await rawCall(token, 'get_order_status', { order_id: 7 })).status).toBe(200);
    const reader = await customerToken('menu:read');
    secrets.push(reader.token);
    expect((await rawCall(reader.token, 'place_order', { order_id: orderId })).status).toBe(403);
    await settled('mcp.', 7);

    const mcp = auditRows().filter((r) => r.action.startsWith('mcp.'));
    expect(mcp.map((r) => r.action)).toEqual([
      'mcp.tools/call search_menu',
      'mcp.tools/call create_order',
      'mcp.tools/call get_order_status',
      'mcp.tools/call place_order',
      'mcp.tools/call get_menu_item',
      'mcp.tools/call get_order_status',
      'mcp.tools/call place_order',
    ]);
    for (const row of mcp.slice(0, -1)) {
      expect(row).toMatchObject({ actor_kind: 'customer', actor: subject });
      expect(row.latency_ms).toBeGreaterThan(0);
      expect(row.input_hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(mcp.map((r) => r.outcome)).toEqual([
      'ok',
      'ok',
      'order_not_found',
      'ok',
      'ok',
      'invalid_input',
      'insufficient_scope',
    ]);
    expect(mcp.map((r) => r.target)).toEqual([null, orderId, 'ord_missing', orderId, null, null, orderId]);
    expect(mcp.at(-1)?.actor).toBe(reader.subject);
    const create = mcp[1]?.input_summary ?? '';
    expect(create).toContain('"customer_phone":"+* *** *** 4567"');
    expect(create).toContain('"idempotency_key":"[redacted]"');
  });

  it('records every ACP call with the key, the session and the outcome, replays marked', async () => {
    const acp = acpClient(app.url, secrets[0] ?? '');
    const buyer = { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', phone_number: PHONE };
    const session = await acp.post('/checkout_sessions', {
      line_items: [{ id: 'fries' }],
      currency: 'usd',
      capabilities: {},
      buyer,
    });
    expect(session.status).toBe(201);
    sessionId = String(session.body.id);
    const completeKey = randomUUID();
    idempotencyKeys.push(completeKey);
    const complete = { buyer, payment_data: { handler_id: 'pay_at_pickup' } };
    const path = `/checkout_sessions/${sessionId}/complete`;
    expect((await acp.post(path, complete, { 'idempotency-key': completeKey })).status).toBe(200);
    expect((await acp.post(path, complete, { 'idempotency-key': completeKey })).status).toBe(200);
    expect((await acp.get(`/checkout_sessions/${sessionId}`)).status).toBe(200);
    expect((await acp.get('/checkout_sessions/cs_missing')).status).toBe(404);
    // A read's row reaches the chain through the audit thread after its answer, while a change's row is
    // written in the change's own transaction: rows land in commit order, so the reads settle first here.
    await settled('acp.GET ', 2);
    const vaulted = await acp.post('/agentic_commerce/delegate_payment', {
      payment_method: {
        type: 'card',
        card_number_type: 'fpan',
        virtual: false,
        number: CARD,
        exp_month: '11',
        exp_year: '2030',
        cvc: '223',
        display_card_funding_type: 'credit',
        display_brand: 'visa',
        display_last4: '4242',
        metadata: {},
      },
      allowance: {
        reason: 'one_time',
        max_amount: 2000,
        currency: 'usd',
        checkout_session_id: sessionId,
        merchant_id: new URL(PUBLIC_URL).host,
        expires_at: '2026-11-24T17:30:00Z',
      },
      risk_signals: [{ type: 'card_testing', score: 10, action: 'manual_review' }],
      metadata: {},
    });
    expect(vaulted.status, JSON.stringify(vaulted.body)).toBe(201);

    const acpRows = auditRows().filter((r) => r.action.startsWith('acp.'));
    expect(acpRows.map((r) => [r.action, r.target, r.outcome])).toEqual([
      ['acp.POST /checkout_sessions', sessionId, 'ok'],
      ['acp.POST /checkout_sessions/{id}/complete', sessionId, 'ok'],
      ['acp.POST /checkout_sessions/{id}/complete', sessionId, 'ok (replayed)'],
      ['acp.GET /checkout_sessions/{id}', sessionId, 'ok'],
      ['acp.GET /checkout_sessions/{id}', 'cs_missing', 'not_found'],
      ['acp.POST /agentic_commerce/delegate_payment', 'vt_[redacted]', 'ok'],
    ]);
    for (const row of acpRows)
      expect(row).toMatchObject({ actor_kind: 'acp_key', actor: keyId, client: keyId });
    expect(acpRows.at(-1)?.input_summary).toContain('"payment_method":{"card_number_t');
    expect(acpRows[1]?.input_summary).toContain('"phone_number":"+* *** *** 4567"');
  });

  it('keeps no API key, bearer token or card number in the database file, nor other secrets in the log', () => {
    const file = databaseFile(dataDir);
    const bytes = [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1'));
    expect(secrets).toHaveLength(4);
    for (const secret of [...secrets, CARD]) {
      for (const content of bytes) expect(content.includes(secret), secret.slice(0, 12)).toBe(false);
    }
    const text = JSON.stringify(auditRows());
    for (const key of idempotencyKeys) expect(text).not.toContain(key);
    expect(text).not.toMatch(/555.?123|4242424242|"223"|cpk_\w|vt_\w|eyJ/);
  });

  it('verifies with the CLI, exports CSV, and names the row someone changed', async () => {
    const count = auditRows().length;
    const verified = await runCli(['audit', 'verify'], env);
    expect(verified.stdout).toContain(`Audit log intact: ${count} rows`);
    expect(verified.code).toBe(0);

    const out = join(dataDir, 'audit.csv');
    const exported = await runCli(
      ['audit', 'export', '--action', 'acp.', '--since', '2026-11-24T00:00Z', out],
      env,
    );
    expect(exported.code).toBe(0);
    const records = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(records.length).toBe(6);
    expect(records.every((r) => r.action?.startsWith('acp.') && r.actor === keyId)).toBe(true);
    const all = await runCli(['audit', 'export'], env);
    expect(all.code).toBe(0);
    expect(parse(all.stdout, { columns: true })).toHaveLength(count);

    const failed = rowsFor('mcp.tools/call get_order_status')[0];
    const raw = new Database(databaseFile(dataDir));
    try {
      expect(() => raw.exec("UPDATE audit_log SET outcome = 'ok'")).toThrow(/append-only/);
      raw.exec('DROP TRIGGER audit_log_no_update');
      raw.prepare("UPDATE audit_log SET outcome = 'ok' WHERE seq = ?").run(failed?.seq);
    } finally {
      raw.close();
    }
    const broken = await runCli(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`Audit log broken at row ${failed?.seq}`);
  });
});
