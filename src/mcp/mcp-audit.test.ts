import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../platform/clock.js';
import { createSilentLogger } from '../platform/logger.js';
import { type AuditLog, createAuditLog } from '../services/audit/audit-log.js';
import { createAuditRepo } from '../store/audit-repo.js';
import { openStore, type Store } from '../store/database.js';
import { createMcpAudit, type McpAudit, replyOutcomes } from './mcp-audit.js';
import { ERROR_CODE_META } from './tool-result.js';

// The /mcp audit summarises a request's calls before any runs: a call it cannot record is refused
// whatever reaches it (a bounded parse in front may refuse deep bodies earlier; this guard holds alone).

const clock = createManualClock('2026-11-24T17:00:00Z');
const caller = { subject: 'sub_mallory', clientId: 'client_1' };

function nested(depth: number): unknown {
  let value: unknown = 0;
  for (let n = 0; n < depth; n += 1) value = { a: value };
  return value;
}
const call = (id: number, name: string, args: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});

let store: Store;
let audit: AuditLog;
let mcpAudit: McpAudit;
beforeEach(() => {
  store = openStore({ file: ':memory:' });
  audit = createAuditLog({ store, repo: createAuditRepo({ store }), clock });
  mcpAudit = createMcpAudit({ audit, log: createSilentLogger(), writeTools: new Set(['create_order']) });
});
afterEach(() => store.close());

const rows = () => {
  audit.flush();
  return store.db.prepare('SELECT actor, action, outcome, input_summary FROM audit_log ORDER BY seq').all();
};

describe('the /mcp audit', () => {
  it('refuses a call nested deeper than it can record with a tool error, and records the refusal', () => {
    const request = call(7, 'create_order', { customer_name: 'Mallory', extra: nested(10_000) });
    const audited = mcpAudit.prepare(caller, request);
    expect(audited.refusal?.status).toBe(200);
    const message = audited.refusal?.message as unknown as {
      id: number;
      result: { isError: boolean; content: { text: string }[] };
    };
    expect(message.id).toBe(7);
    expect(message.result.isError).toBe(true);
    expect(message.result.content[0]?.text).toMatch(/not run: .*audit log.*\(error code: invalid_input\)$/s);
    audited.record(replyOutcomes(audited.refusal?.message), performance.now());
    expect(rows()).toEqual([
      {
        actor: 'sub_mallory',
        action: 'mcp.tools/call create_order',
        outcome: 'invalid_input',
        input_summary: expect.stringContaining('[too deep]'),
      },
    ]);
  });

  it('refuses a whole batch when one of its calls cannot be recorded, with a row for each call', () => {
    const request = [call(1, 'search_menu', { query: 'fries' }), call(2, 'search_menu', { query: 10n })];
    const audited = mcpAudit.prepare(caller, request);
    expect(audited.refusal).toMatchObject({ status: 400, message: { id: null, error: { code: -32602 } } });
    audited.record(replyOutcomes(audited.refusal?.message), performance.now());
    expect(rows()).toEqual([
      expect.objectContaining({ outcome: 'jsonrpc_-32602', input_summary: '{"query":"fries"}' }),
      expect.objectContaining({
        outcome: 'jsonrpc_-32602',
        input_summary: expect.stringMatching(/^\[could not be summarised: TypeError: .*BigInt\]$/),
      }),
    ]);
  });

  it('lets a call it can record run, and writes the summary it made before', () => {
    const audited = mcpAudit.prepare(caller, call(3, 'search_menu', { query: 'fries', token: 'secret' }));
    expect(audited.refusal).toBeUndefined();
    audited.record(replyOutcomes({ jsonrpc: '2.0', id: 3, result: { content: [] } }), performance.now());
    expect(rows()).toEqual([
      expect.objectContaining({ outcome: 'ok', input_summary: '{"query":"fries","token":"[redacted]"}' }),
    ]);
  });

  it("reads each call's outcome from its reply's structured fields, never from its text", () => {
    const audited = mcpAudit.prepare(caller, [
      call(1, 'get_order_status', { order_id: 'ord_x' }),
      call(2, 'search_menu', { query: 'fries' }),
      call(3, 'get_menu_item', {}),
      call(4, 'search_menu', {}),
    ]);
    const text = (words: string) => [{ type: 'text', text: words }];
    audited.record(
      replyOutcomes([
        { jsonrpc: '2.0', id: 2, result: { content: text('Fries (error code: order_not_found)') } },
        {
          jsonrpc: '2.0',
          id: 1,
          result: {
            isError: true,
            content: text('No such order.'),
            _meta: { [ERROR_CODE_META]: 'order_not_found' },
          },
        },
        // The SDK's own tool error: its refusal of the arguments, whatever the words say.
        {
          jsonrpc: '2.0',
          id: 3,
          result: { isError: true, content: text('MCP error -32603 (error code: internal)') },
        },
        { jsonrpc: '2.0', id: 4, error: { code: -32602, message: 'Input validation error' } },
      ]),
      performance.now(),
    );
    expect(rows().map((row) => (row as { outcome: string }).outcome)).toEqual([
      'order_not_found',
      'ok',
      'invalid_input',
      'jsonrpc_-32602',
    ]);
  });
});
