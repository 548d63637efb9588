import { ProtocolErrorCode } from '@modelcontextprotocol/server';
import { jsonRpcError } from '../http/mcp-transport.js';
import type { PlainAnswer } from '../http/request-frame.js';

/**
 * MCP wants `params`, when present, to be an object (JSON-RPC 2.0 §4.2 would allow an array). A single
 * message whose params is null, a number, a string or an array gets 400 `-32602` with its own id
 * before any handler sees it: the SDK's long-lived server drops such a message without answering.
 * Batches are left to the SDK's per-request transport, which refuses them whole.
 */
export function paramsRefusal(body: unknown): PlainAnswer | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const message = body as { id?: unknown; method?: unknown; params?: unknown };
  if (message.method === undefined || !('params' in message)) return undefined;
  const { params } = message;
  if (typeof params === 'object' && params !== null && !Array.isArray(params)) return undefined;
  const id = typeof message.id === 'string' || typeof message.id === 'number' ? message.id : null;
  const what = params === null ? 'null' : Array.isArray(params) ? 'an array' : `a ${typeof params}`;
  return jsonRpcError(
    400,
    ProtocolErrorCode.InvalidParams,
    `Invalid params: "params" must be an object, not ${what}.`,
    { id },
  );
}
