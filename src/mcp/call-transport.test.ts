import { type JSONRPCRequest, McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { connectCallTransport } from './call-transport.js';

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

describe('the call transport to the long-lived server', () => {
  it('answers a JSON-RPC error with the caller id when the server does not answer in time', async () => {
    const { server, open } = serverWithGate();
    const transport = await connectCallTransport(server, { timeoutMs: TIMEOUT_MS });
    try {
      const started = performance.now();
      const answer = await transport.call(call('slow-1', 'wait'), AUTH);
      expect(performance.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      expect(answer).toMatchObject({ jsonrpc: '2.0', id: 'slow-1', error: { code: -32603 } });
      // The late answer finds no caller waiting: it does not reach, or break, the next call.
      open();
      const next = await transport.call(call(2, 'now'), AUTH);
      expect(next).toMatchObject({ id: 2, result: { content: [{ text: 'now' }] } });
    } finally {
      await transport.close();
    }
  });

  it('answers a message the SDK drops unanswered (params not an object) once the timeout ends the wait', async () => {
    const transport = await connectCallTransport(serverWithGate().server, { timeoutMs: TIMEOUT_MS });
    try {
      const dropped = { jsonrpc: '2.0', id: 9, method: 'ping', params: [] } as unknown as JSONRPCRequest;
      expect(await transport.call(dropped, AUTH)).toMatchObject({ id: 9, error: { code: -32603 } });
    } finally {
      await transport.close();
    }
  });

  it('answers an error at once when the request cannot be sent', async () => {
    const transport = await connectCallTransport(serverWithGate().server, { timeoutMs: 60_000 });
    await transport.close();
    const answer = await transport.call(call(3, 'now'), AUTH);
    expect(answer).toMatchObject({ id: 3, error: { code: -32603 } });
  });

  it('answers a call still waiting with an error when the server closes', async () => {
    const { server } = serverWithGate();
    const transport = await connectCallTransport(server, { timeoutMs: 60_000 });
    const waiting = transport.call(call('w', 'wait'), AUTH);
    await transport.close();
    expect(await waiting).toMatchObject({ id: 'w', error: { code: -32603 } });
  });

  it('keeps each caller its own id when two calls share one', async () => {
    const transport = await connectCallTransport(serverWithGate().server, { timeoutMs: TIMEOUT_MS });
    try {
      const [a, b] = await Promise.all([
        transport.call(call(1, 'now'), AUTH),
        transport.call(call(1, 'now'), AUTH),
      ]);
      expect(a).toMatchObject({ id: 1, result: { content: [{ text: 'now' }] } });
      expect(b).toMatchObject({ id: 1, result: { content: [{ text: 'now' }] } });
    } finally {
      await transport.close();
    }
  });
});
