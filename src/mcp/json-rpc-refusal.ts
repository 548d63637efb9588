import { ProtocolErrorCode } from '@modelcontextprotocol/server';
import type { PlainAnswer } from '../http/request-frame.js';

const JSON_CONTENT = { 'content-type': 'application/json' } as const;

/** A JSON-RPC error as a plain answer, naming the request's id when it is known (else `null`). */
export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
  id: string | number | null = null,
): PlainAnswer {
  return {
    status,
    headers: { ...JSON_CONTENT, ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } }),
  };
}

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
    {},
    id,
  );
}
