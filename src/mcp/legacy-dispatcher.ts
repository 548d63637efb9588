import {
  type AuthInfo,
  InMemoryTransport,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type McpServer,
  ProtocolErrorCode,
} from '@modelcontextprotocol/server';
import { answerWithin, MCP_ANSWER_TIMEOUT_MS } from './answer-timeout.js';

/** Sends one 2025-era request through a long-lived, already initialized MCP server. */
export interface LegacyDispatcher {
  /** The server's answer, or a JSON-RPC error when it could not be sent or had no answer in time. */
  dispatch(request: JSONRPCRequest, authInfo: AuthInfo): Promise<JSONRPCMessage>;
  close(): Promise<void>;
}

/** The newest 2025-era revision: the long-lived server speaks it to itself. */
const LEGACY_VERSION = '2025-11-25';

function failure(id: number, message: string): JSONRPCMessage {
  return { jsonrpc: '2.0', id, error: { code: ProtocolErrorCode.InternalError, message } };
}

/**
 * Stateless 2025 clients send every tools/call as its own HTTP request. Building a server and a
 * transport per request costs about 0.5 ms on these machines; a tools/call through one long-lived
 * server costs about 0.1 ms. The server is the SDK's own McpServer, connected once over the SDK's
 * in-memory transport, so validation and dispatch are the SDK's; only the HTTP plumbing is ours.
 * The SDK drops a message it cannot read without answering it, so no dispatch waits longer than
 * `timeoutMs`: then, as when the message cannot be sent at all, the caller gets a JSON-RPC error.
 */
export async function createLegacyDispatcher(
  server: McpServer,
  options: { readonly timeoutMs?: number } = {},
): Promise<LegacyDispatcher> {
  const timeoutMs = options.timeoutMs ?? MCP_ANSWER_TIMEOUT_MS;
  const [client, serverSide] = InMemoryTransport.createLinkedPair();
  const pending = new Map<number, (message: JSONRPCMessage) => void>();
  let nextId = 0;
  client.onmessage = (message) => {
    const id = (message as { id?: unknown }).id;
    if (typeof id !== 'number') return;
    pending.get(id)?.(message);
    pending.delete(id);
  };
  await server.connect(serverSide);
  await client.start();

  const send = (request: Omit<JSONRPCRequest, 'id'>, authInfo?: AuthInfo): Promise<JSONRPCMessage> => {
    nextId += 1;
    const id = nextId;
    const answered = new Promise<JSONRPCMessage>((resolve) => pending.set(id, resolve));
    const unsent = (reason: string) => {
      pending.get(id)?.(failure(id, `Internal error: the request could not be handled (${reason}).`));
      pending.delete(id);
    };
    client
      .send({ ...request, id } as JSONRPCRequest, authInfo === undefined ? undefined : { authInfo })
      .catch((error: unknown) => unsent(error instanceof Error ? error.message : 'not sent'));
    return answerWithin(answered, timeoutMs, () => {
      pending.delete(id);
      return failure(id, `Internal error: no answer within ${timeoutMs} ms.`);
    });
  };

  const initialized = await send({
    jsonrpc: '2.0',
    method: 'initialize',
    params: {
      protocolVersion: LEGACY_VERSION,
      capabilities: {},
      clientInfo: { name: 'counterpi-http', version: '1' },
    },
  });
  if ('error' in initialized) throw new Error(`MCP server did not initialize: ${initialized.error.message}`);
  await client.send({ jsonrpc: '2.0', method: 'notifications/initialized' });

  return {
    async dispatch(request, authInfo) {
      const { id, ...rest } = request;
      const answer = await send(rest, authInfo);
      return { ...answer, id } as JSONRPCMessage;
    },
    async close() {
      await client.close();
      await server.close();
    },
  };
}
