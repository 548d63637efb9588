import { type JSONRPCRequest, McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { createLegacyDispatcher } from './legacy-dispatcher.js';

const AUTH = { token: '', clientId: 'test', scopes: [] };
const TIMEOUT_MS = 200;

/** A real SDK server with a tool that answers when the test lets it. */
function serverWithGate() {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const server = new McpServer({ name: 'dispatch-test', version: '1' });
  server.registerTool('wait', { description: 'Answers once the gate opens.' }, async () => {
    await gate;
    return { content: [{ type: 'text', text: 'late' }] };
  });
  server.registerTool('now', { description: 'Answers at once.' }, () => ({
    content: [{ type: 'text', text: 'now' }],
  }));
  return { server, open };
}

const call = (id: number | string, name: string): JSONRPCRequest => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: {} },
});

describe('the legacy dispatcher', () => {
  it('answers a JSON-RPC error with the caller id when the server does not answer in time', async () => {
    const { server, open } = serverWithGate();
    const dispatcher = await createLegacyDispatcher(server, { timeoutMs: TIMEOUT_MS });
    try {
      const started = performance.now();
      const answer = await dispatcher.dispatch(call('slow-1', 'wait'), AUTH);
      expect(performance.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      expect(answer).toMatchObject({ jsonrpc: '2.0', id: 'slow-1', error: { code: -32603 } });
      // The late answer finds no caller waiting: it does not reach, or break, the next call.
      open();
      const next = await dispatcher.dispatch(call(2, 'now'), AUTH);
      expect(next).toMatchObject({ id: 2, result: { content: [{ text: 'now' }] } });
    } finally {
      await dispatcher.close();
    }
  });

  it('answers a message the SDK drops unanswered (params not an object) once the timeout ends the wait', async () => {
    const dispatcher = await createLegacyDispatcher(serverWithGate().server, { timeoutMs: TIMEOUT_MS });
    try {
      const dropped = { jsonrpc: '2.0', id: 9, method: 'ping', params: [] } as unknown as JSONRPCRequest;
      expect(await dispatcher.dispatch(dropped, AUTH)).toMatchObject({ id: 9, error: { code: -32603 } });
    } finally {
      await dispatcher.close();
    }
  });

  it('answers an error at once when the request cannot be sent', async () => {
    const dispatcher = await createLegacyDispatcher(serverWithGate().server, { timeoutMs: 60_000 });
    await dispatcher.close();
    const answer = await dispatcher.dispatch(call(3, 'now'), AUTH);
    expect(answer).toMatchObject({ id: 3, error: { code: -32603 } });
  });
});
